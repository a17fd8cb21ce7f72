// The edge validates every request against its route's schema (libs/contracts ROUTE_SCHEMAS) before
// the handler runs: a body of the wrong shape, an unknown or malformed query parameter, or a list
// filter with an unknown field or a malformed value, is a 400 problem document naming each bad
// field, and nothing below the edge sees it. The handler gets the checked values (`@Body()`,
// `@Query()`), so it reads them as the types inferred from the same schemas.
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import { DomainError } from '@anchorage/authority';
import { inputProblems, NO_QUERY, ROUTE_SCHEMAS, type RouteSchema } from '@anchorage/contracts';
import { routeKey } from './route-key';

/** Why a query was refused, naming what the route takes: its parameters, or for a bad filter, the list's filter fields. */
function queryRefusal(schema: RouteSchema, query: z.AnyZodObject, error: z.ZodError): string {
  if (schema.filter && error.issues.some((i) => i.path[0] === 'filter')) {
    const fields = Object.keys(schema.filter.shape);
    return `bad filter; this list filters by ${fields.length ? fields.join(', ') : 'nothing'}`;
  }
  const params = Object.keys(query.shape);
  return `bad query; this route takes ${params.length ? `the query parameters ${params.join(', ')}` : 'no query parameters'}`;
}

/** Validates body and query (with a list's filter) of every route (registered as APP_INTERCEPTOR). */
@Injectable()
export class ValidationInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const key = routeKey(ctx.getClass(), ctx.getHandler());
    const schema = key ? ROUTE_SCHEMAS[key] : undefined;
    // default deny, as for access rules: a route without a schema takes no input at all
    if (!schema) throw new DomainError('validation', `no input schema for ${key ?? 'this route'}`);
    const req = ctx.switchToHttp().getRequest<Request>();
    const checked = checkInput(schema, req.body, req.query);
    if (schema.body) req.body = checked.body;
    // Express 5 parses the query string again on every read of req.query: the checked values shadow that getter
    Object.defineProperty(req, 'query', { value: checked.query, enumerable: true, configurable: true, writable: true });
    return next.handle();
  }
}

/** A request's body and query checked against its route's schema (the checked values), or DomainError 'validation' naming each bad field. */
export function checkInput(schema: RouteSchema, body: unknown, query: unknown): { body: unknown; query: unknown } {
  let checkedBody = body;
  if (schema.body) {
    // no body at all reads as an empty object, so the authority can say which field is missing
    const r = schema.body.safeParse(body ?? {});
    if (!r.success) throw new DomainError('validation', 'the request body does not have the expected shape', { errors: inputProblems('body', r.error) });
    checkedBody = r.data;
  }
  const q = (schema.query ?? NO_QUERY).safeParse(query);
  if (!q.success) throw new DomainError('validation', queryRefusal(schema, schema.query ?? NO_QUERY, q.error), { errors: inputProblems('query', q.error) });
  return { body: checkedBody, query: q.data };
}
