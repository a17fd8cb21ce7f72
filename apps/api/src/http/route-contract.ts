// A route's whole contract: what libs/contracts says it answers (ROUTE_RESPONSES), plus the problem
// documents every route of its kind can answer, derived here from what only the API knows: every route
// answers 400 to input of another shape (each checks at least its query string, which a route that
// reads none refuses), a route with ids answers 404 for one that names nothing (or
// something outside the caller's scope), an authenticated route answers 401 without credentials and
// 403 to a role it does not allow. The OpenAPI document states these answers, and test deployments
// check each real answer against them (response-conformance.ts).
import type { Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ActorRole } from '@anchorage/authority';
import { ROUTE_RESPONSES, type ErrorCodeValue, type RouteResponse } from '@anchorage/contracts';
import { accessRuleOf, type AccessRule } from './access';
import { STATUS } from './problem-status';
import { routeKey } from './route-key';

const ROLES: ActorRole[] = ['operator', 'auditor', 'member-admin'];

/** A route's answer did not keep its contract: thrown only where responses are checked (test deployments). */
export class ResponseContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResponseContractError';
  }
}

/** A route Nest serves, with its access rule. */
export interface ServedRoute {
  key: string;
  rule: AccessRule | undefined;
}

/** Every route of `controllers` ('METHOD /path' as Nest declares it) with its access rule. */
export function servedRoutes(controllers: Type[]): ServedRoute[] {
  const reflector = new Reflector();
  const out: ServedRoute[] = [];
  for (const c of controllers) {
    for (const name of Object.getOwnPropertyNames(c.prototype)) {
      const handler: unknown = c.prototype[name];
      if (typeof handler !== 'function' || name === 'constructor') continue;
      const key = routeKey(c, handler);
      if (key) out.push({ key, rule: accessRuleOf(reflector, [handler as () => unknown, c]) });
    }
  }
  return out;
}

/** The response contract of route `key`; a route without one is a programming error. */
export function responseContractOf(key: string): RouteResponse {
  const r = ROUTE_RESPONSES[key];
  if (!r) throw new ResponseContractError(`${key} has no response contract (libs/contracts ROUTE_RESPONSES)`);
  return r;
}

/** Every domain error code route `key` may answer: its own (ROUTE_RESPONSES) and those of its kind. */
export function problemCodesOf(key: string, rule: AccessRule | undefined): ErrorCodeValue[] {
  // every route checks its input at the edge (http/validation.ts): at least its query string
  const codes = new Set<ErrorCodeValue>([...responseContractOf(key).errors, 'validation']);
  const ids = /\/:\w+/.test(key);
  if (ids) codes.add('not-found');
  if (!rule) codes.add('forbidden');
  else if (!rule.public) {
    codes.add('unauthorized');
    if (rule.allCommunities || !ROLES.every((r) => rule.roles?.includes(r))) codes.add('forbidden');
  }
  return [...codes].sort((a, b) => STATUS[a] - STATUS[b] || a.localeCompare(b));
}

/** `codes` by HTTP status, statuses ascending. */
export function byStatus(codes: ErrorCodeValue[]): Map<number, ErrorCodeValue[]> {
  const out = new Map<number, ErrorCodeValue[]>();
  for (const c of codes) out.set(STATUS[c], [...(out.get(STATUS[c]) ?? []), c]);
  return new Map([...out].sort(([a], [b]) => a - b));
}
