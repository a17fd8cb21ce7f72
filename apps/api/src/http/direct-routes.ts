// The hot write route, served from node:http without Express and Nest in between. Bulk issuance sends
// thousands of POST /api/v1/certificates a second, and their dispatch (Express's router and response,
// Nest's execution context, guard, interceptors and filter) cost as much CPU as the issuance itself.
// A direct route runs the SAME steps with the SAME functions, in the same order:
//   security headers (setSecurityHeaders) -> the /api JSON body parser (jsonBody) -> hostile text
//   (hostileText) -> authentication and the route's own @Allow rule (authenticate, authorize) -> the
//   route's input schema (checkInput) -> the controller's own handler method -> the route's response
//   contract in test deployments (answerProblems, undeclaredRefusal) -> problem documents (problemOf).
// Only requests of the plainest framing are taken (exactly the route's path, no query string, a JSON
// content type in UTF-8, no content encoding); anything else goes through Express and Nest, which have
// the answer for it. `direct-routes.integration-spec.ts` sends the same requests both ways and compares
// the answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestException, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import type { Type } from '@nestjs/common';
import type { Platform } from '@anchorage/authority';
import { ROUTE_SCHEMAS } from '@anchorage/contracts';
import { accessRuleOf, authenticate, authorize, type AuthedRequest } from './access';
import { hostileText, jsonBody } from './input-guard';
import { problemOf, writeProblem } from './problem.filter';
import { answerProblems, contractBreach, undeclaredRefusal } from './response-conformance';
import { problemCodesOf, responseContractOf } from './route-contract';
import { setSecurityHeaders } from './security-headers';
import { checkInput } from './validation';

/** The content types the direct route reads itself: JSON, in UTF-8 or without a charset (which means UTF-8). */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset="?utf-?8"?\s*)?$/i;

/**
 * An error of the body parser as Nest hands it to the filter when Express middleware raises it
 * (RoutesResolver.mapExternalException): a SyntaxError or URIError with status 400 becomes a
 * BadRequestException carrying its message.
 */
function asNestSees(err: unknown): unknown {
  const e = err as { status?: unknown; message?: string };
  return (err instanceof SyntaxError || err instanceof URIError) && e.status === 400 ? new BadRequestException(e.message) : err;
}

/** What `res.status()` and `res.setHeader()` of a handler need, on a bare response. */
function handlerResponse(res: ServerResponse): Response & { chosenStatus?: number } {
  const shim = {
    chosenStatus: undefined as number | undefined,
    status(code: number) {
      shim.chosenStatus = code;
      return shim;
    },
    setHeader(name: string, value: string | number | readonly string[]) {
      res.setHeader(name, value);
      return shim;
    },
    getHeader: (name: string) => res.getHeader(name),
  };
  return shim as unknown as Response & { chosenStatus?: number };
}

/** A POST route served directly: its path, and the controller and handler method Nest serves it with (`handler(body, req, res)`). */
export interface DirectRoute {
  path: string;
  controller: Type;
  handler: string;
}

type Handler = (body: unknown, req: AuthedRequest, res: Response) => Promise<unknown>;

/**
 * A direct route of a started Nest application: a function that answers a request it takes and
 * returns true, or returns false for Express and Nest to answer it.
 */
export function directRoute(app: NestExpressApplication, platform: Platform, route: DirectRoute, opts: { validateResponses?: boolean } = {}): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { path } = route;
  const key = `POST ${path}`;
  const instance = app.get(route.controller) as Record<string, Handler>;
  const handler = (route.controller.prototype as Record<string, Handler>)[route.handler];
  const rule = accessRuleOf(app.get(Reflector), [handler, route.controller]);
  const schema = ROUTE_SCHEMAS[key];
  // the route is declared as these steps assume (a rule, a body schema, no query parameters): say so at start, not per request
  if (!rule || rule.public || !schema?.body || schema.query) throw new Error(`${key} is not declared as the direct route expects (an access rule, a body schema, no query)`);
  const contract = opts.validateResponses ? responseContractOf(key) : null;
  const codes = opts.validateResponses ? problemCodesOf(key, rule) : [];
  const parseBody = jsonBody();
  const log = new Logger('api');

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await new Promise<void>((resolve, reject) => parseBody(req as Request, res as Response, (err?: unknown) => (err ? reject(err) : resolve())));
      const body = (req as Request).body as unknown;
      const bad = hostileText(body, 'the request body');
      if (bad) return writeProblem(res, { type: 'about:blank', title: 'Bad Request', status: 400, detail: bad, instance: path });
      const authed = req as unknown as AuthedRequest;
      const who = authorize(rule, await authenticate(platform, req));
      authed.actor = who.actor;
      const input = checkInput(schema, body, {}).body;
      const out = handlerResponse(res);
      let view: unknown;
      try {
        view = await handler.call(instance, input, authed, out);
      } catch (err) {
        const refusal = contract ? undeclaredRefusal(err, codes) : null;
        throw refusal ? contractBreach(key, `undeclared refusal ${refusal}`) : err;
      }
      const status = out.chosenStatus ?? 201;
      if (contract) {
        const problems = answerProblems(contract, status, res.getHeader('content-range'), view);
        if (problems.length) throw contractBreach(key, problems.join('; '));
      }
      const json = JSON.stringify(view);
      res.statusCode = status;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Length', Buffer.byteLength(json));
      res.end(json);
    } catch (err) {
      if (res.headersSent) return void res.destroy(err instanceof Error ? err : undefined);
      writeProblem(res, problemOf(asNestSees(err), path, log));
    }
  };

  return (req, res) => {
    if (req.method !== 'POST' || req.url !== path) return false;
    const type = req.headers['content-type'];
    const encoding = req.headers['content-encoding'];
    if (!type || !PLAIN_JSON.test(type) || (encoding !== undefined && encoding.toLowerCase() !== 'identity')) return false;
    setSecurityHeaders(res, path);
    void serve(req, res);
    return true;
  };
}
