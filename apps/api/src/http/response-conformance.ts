// Test deployments (ServerOptions.validateResponses) check every answer against its route's contract
// (route-contract.ts): the success status, a list's Content-Range, the JSON body against the route's
// response schema as it goes over the wire (a field the view does not name is a mismatch too), and
// for a refusal, that the route declares its error code. A mismatch fails the request loudly: a 500
// problem document and a line on stderr, each naming the route and what differs, so every test that
// calls the API checks the contracts for free. Production servers do not register this interceptor.
import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { catchError, map, throwError, type Observable } from 'rxjs';
import { DomainError } from '@anchorage/authority';
import type { ErrorCodeValue, RouteResponse } from '@anchorage/contracts';
import { accessRuleOf } from './access';
import { STATUS } from './problem-status';
import { problemCodesOf, responseContractOf, ResponseContractError } from './route-contract';
import { routeKey } from './route-key';

const CONTENT_RANGE = /^[a-z-]+ \d+-\d+\/\d+$/;

/** How a success answer differs from its route's contract: nothing when it keeps it. */
export function answerProblems(contract: RouteResponse, status: number, contentRange: unknown, body: unknown): string[] {
  const problems: string[] = [];
  if (!contract.status.includes(status)) problems.push(`status ${status}, where the route answers ${contract.status.join(' or ')}`);
  if (contract.paged && !(typeof contentRange === 'string' && CONTENT_RANGE.test(contentRange))) problems.push(`Content-Range ${String(contentRange)}, where a page has "<resource> <first>-<last>/<total>"`);
  // bytes the handler wrote itself (a CRL download) are not JSON to check
  if (contract.media) return problems;
  if (!contract.body) return body === undefined ? problems : [...problems, 'a body, where the route answers none'];
  if (body === undefined) return [...problems, 'no body'];
  const r = contract.body.safeParse(JSON.parse(JSON.stringify(body)));
  if (!r.success) problems.push(...r.error.issues.slice(0, 20).map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`));
  return problems;
}

/** A refusal the route does not declare (a domain error by its code, another HTTP error by its status); null if declared or not a refusal (a 500). */
export function undeclaredRefusal(err: unknown, codes: ErrorCodeValue[]): string | null {
  if (err instanceof DomainError) return codes.includes(err.code) ? null : `${err.code} (${STATUS[err.code]}): ${err.message}`;
  if (err instanceof HttpException) {
    const status = err.getStatus();
    return codes.some((c) => STATUS[c] === status) ? null : `status ${status}: ${err.message}`;
  }
  return null;
}

/** The error of an answer of route `key` outside its contract, said on stderr too. */
export function contractBreach(key: string, what: string): ResponseContractError {
  const err = new ResponseContractError(`${key} answered outside its contract (libs/contracts ROUTE_RESPONSES): ${what}`);
  // stderr, not the app logger: tests start the server with its logger off, and this must be seen there
  console.error(err.message);
  return err;
}

/** Checks every answer against its route's contract (registered as APP_INTERCEPTOR in test deployments only). */
@Injectable()
export class ResponseConformanceInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const key = routeKey(ctx.getClass(), ctx.getHandler()) ?? `${ctx.getClass().name}.${ctx.getHandler().name}`;
    const contract = responseContractOf(key);
    const codes = problemCodesOf(key, accessRuleOf(this.reflector, [ctx.getHandler(), ctx.getClass()]));
    const res = ctx.switchToHttp().getResponse<Response>();
    const broken = (what: string) => contractBreach(key, what);
    return next.handle().pipe(
      catchError((err: unknown) => {
        const refusal = undeclaredRefusal(err, codes);
        return throwError(() => (refusal ? broken(`undeclared refusal ${refusal}`) : err));
      }),
      map((body: unknown) => {
        const problems = answerProblems(contract, res.statusCode, res.getHeader('content-range'), body);
        if (problems.length) throw broken(problems.join('; '));
        return body;
      }),
    );
  }
}
