import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { Response } from 'express';
import { DomainError } from '@anchorage/authority';
import type { ProblemDocument } from '@anchorage/contracts';
import { STATUS, TITLES } from './problem-status';
import { ResponseContractError } from './route-contract';

/** Writes an RFC 7807 problem document. */
export function sendProblem(res: Response, p: ProblemDocument): void {
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
}

/** Writes an RFC 7807 problem document on a bare node:http response, with the headers sendProblem gives it. */
export function writeProblem(res: ServerResponse, p: ProblemDocument): void {
  const body = JSON.stringify(p);
  res.statusCode = p.status;
  res.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** The problem document of any error (see ProblemFilter); internal errors are logged and never leak details. */
export function problemOf(err: unknown, instance: string | undefined, log: Pick<Logger, 'error'>): ProblemDocument {
  if (err instanceof DomainError) {
    const status = STATUS[err.code] ?? 400;
    const errors = Array.isArray(err.details.errors) ? (err.details.errors as ProblemDocument['errors']) : undefined;
    return { type: `https://anchorage.dev/problems/${err.code}`, title: TITLES[status] ?? 'Error', status, detail: err.message, code: err.code, instance, ...(errors ? { errors } : {}) };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const body = err.getResponse();
    const detail = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? err.message);
    return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, instance };
  }
  // an answer that broke its route's contract (test deployments only): said in full, for the test that made it
  if (err instanceof ResponseContractError) return { type: 'about:blank', title: TITLES[500], status: 500, detail: err.message, instance };
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.too.large') return { type: 'about:blank', title: TITLES[413], status: 413, detail: 'request body too large (limit 256 KiB)', instance };
  if (e?.type === 'entity.parse.failed') return { type: 'about:blank', title: TITLES[400], status: 400, detail: 'request body is not valid JSON', instance };
  // the body parser's other refusals (unsupported charset or encoding, bad UTF-8, aborted upload) are the client's
  const parser = err as { expose?: boolean; status?: number; message?: string };
  if (parser?.expose === true && typeof parser.status === 'number' && parser.status >= 400 && parser.status < 500) {
    return { type: 'about:blank', title: TITLES[parser.status] ?? 'Bad Request', status: parser.status, detail: String(parser.message), instance };
  }
  log.error(err instanceof Error ? err.stack : String(err));
  return { type: 'about:blank', title: TITLES[500], status: 500, detail: 'internal error; see the server log', instance };
}

/** Maps every error to an RFC 7807 problem document (problemOf); internal errors never leak details. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly log = new Logger('api');

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getResponse<Response>(), problemOf(err, http.getRequest<{ originalUrl?: string }>().originalUrl, this.log));
  }
}
