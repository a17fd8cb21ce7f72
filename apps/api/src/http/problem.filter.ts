import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '@anchorage/authority';
import type { ProblemDocument } from '@anchorage/contracts';
import { STATUS, TITLES } from './problem-status';
import { ResponseContractError } from './route-contract';

/** Writes an RFC 7807 problem document. */
export function sendProblem(res: Response, p: ProblemDocument): void {
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
}

/** Maps every error to an RFC 7807 problem document; internal errors never leak details. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly log = new Logger('api');

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const instance = http.getRequest<{ originalUrl?: string }>().originalUrl;
    if (err instanceof DomainError) {
      const status = STATUS[err.code] ?? 400;
      const errors = Array.isArray(err.details.errors) ? (err.details.errors as ProblemDocument['errors']) : undefined;
      return sendProblem(res, {
        type: `https://anchorage.dev/problems/${err.code}`, title: TITLES[status] ?? 'Error', status, detail: err.message, code: err.code, instance, ...(errors ? { errors } : {}),
      });
    }
    if (err instanceof HttpException) {
      const status = err.getStatus();
      const body = err.getResponse();
      const detail = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? err.message);
      return sendProblem(res, { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, instance });
    }
    // an answer that broke its route's contract (test deployments only): said in full, for the test that made it
    if (err instanceof ResponseContractError) return sendProblem(res, { type: 'about:blank', title: TITLES[500], status: 500, detail: err.message, instance });
    const e = err as { type?: string; status?: number; message?: string };
    if (e?.type === 'entity.too.large') return sendProblem(res, { type: 'about:blank', title: TITLES[413], status: 413, detail: 'request body too large (limit 256 KiB)', instance });
    if (e?.type === 'entity.parse.failed') return sendProblem(res, { type: 'about:blank', title: TITLES[400], status: 400, detail: 'request body is not valid JSON', instance });
    // the body parser's other refusals (unsupported charset or encoding, bad UTF-8, aborted upload) are the client's
    const parser = err as { expose?: boolean; status?: number; message?: string };
    if (parser?.expose === true && typeof parser.status === 'number' && parser.status >= 400 && parser.status < 500) {
      return sendProblem(res, { type: 'about:blank', title: TITLES[parser.status] ?? 'Bad Request', status: parser.status, detail: String(parser.message), instance });
    }
    this.log.error(err instanceof Error ? err.stack : String(err));
    sendProblem(res, { type: 'about:blank', title: TITLES[500], status: 500, detail: 'internal error; see the server log', instance });
  }
}
