// The edge validates every request against its route's schema (libs/contracts ROUTE_SCHEMAS) before
// the handler runs: a body of the wrong shape, or a list filter with an unknown field or a malformed
// value, is a 400 problem document naming each bad field, and nothing below the edge sees it.
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { DomainError } from '@anchorage/authority';
import { inputProblems, ROUTE_SCHEMAS } from '@anchorage/contracts';
import { routeKey } from './route-key';

/** Validates body and list filter of every route (registered as APP_INTERCEPTOR). */
@Injectable()
export class ValidationInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const key = routeKey(ctx.getClass(), ctx.getHandler());
    const schema = key ? ROUTE_SCHEMAS[key] : undefined;
    // default deny, as for access rules: a route without a schema takes no input at all
    if (!schema) throw new DomainError('validation', `no input schema for ${key ?? 'this route'}`);
    const req = ctx.switchToHttp().getRequest<Request>();
    if (schema.body) {
      // no body at all reads as an empty object, so the authority can say which field is missing
      const r = schema.body.safeParse(req.body ?? {});
      if (!r.success) throw new DomainError('validation', 'the request body does not have the expected shape', { errors: inputProblems('body', r.error) });
      req.body = r.data;
    }
    if (schema.filter && req.query.filter !== undefined) {
      let filter: unknown;
      try {
        filter = JSON.parse(String(req.query.filter));
      } catch {
        throw new DomainError('validation', 'filter must be a JSON object, e.g. filter={"status":"issued"}');
      }
      // react-admin sends empty values for cleared inputs: they mean "no filter"
      if (filter && typeof filter === 'object' && !Array.isArray(filter)) {
        filter = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== '' && v !== null && v !== undefined));
      }
      const r = schema.filter.safeParse(filter);
      if (!r.success) {
        const allowed = Object.keys(schema.filter.shape);
        throw new DomainError('validation', `bad filter; this list filters by ${allowed.length ? allowed.join(', ') : 'nothing'}`, { errors: inputProblems('filter', r.error) });
      }
    }
    return next.handle();
  }
}
