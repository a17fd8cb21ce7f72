// The OpenAPI document states each route's answers from its contract (route-contract.ts): a summary,
// the success answer with its schema (named views as components) and an example, a list's
// Content-Range header, and each problem document it can answer, by status, naming the domain error
// codes behind it. A route without a contract, or a contract without a route, fails the build.
import type { Type } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ROUTE_RESPONSES, VIEW_SCHEMAS, type ErrorCodeValue, type RouteResponse } from '@anchorage/contracts';
import { jsonSchemaOf, type SchemaRefs } from './json-schema';
import { operationOf } from './openapi-inputs';
import { TITLES } from './problem-status';
import { byStatus, problemCodesOf, responseContractOf, servedRoutes } from './route-contract';

const PROBLEM = { $ref: '#/components/schemas/Problem' };

/** Adds every route's summary, success and problem responses to an OpenAPI document made by Nest. */
export function describeResponses(doc: OpenAPIObject, controllers: Type[]): OpenAPIObject {
  const refs: SchemaRefs = new Map(Object.entries(VIEW_SCHEMAS).map(([name, s]) => [s, name]));
  const schemas = { ...doc.components?.schemas } as Record<string, unknown>;
  for (const [name, s] of Object.entries(VIEW_SCHEMAS)) schemas[name] = jsonSchemaOf(s, refs, s);
  doc.components = { ...doc.components, schemas: schemas as never };
  const routes = servedRoutes(controllers);
  const stray = Object.keys(ROUTE_RESPONSES).filter((k) => !routes.some((r) => r.key === k));
  if (stray.length) throw new Error(`response contracts of routes nobody serves: ${stray.join(', ')}`);
  for (const { key, rule } of routes) {
    const contract = responseContractOf(key);
    const op = operationOf(doc, key);
    if (!op) throw new Error(`${key} is served but has no operation in the OpenAPI document`);
    op.summary = contract.summary;
    op.responses = { ...successResponses(contract, refs), ...problemResponses(problemCodesOf(key, rule)) };
  }
  return doc;
}

function successResponses(contract: RouteResponse, refs: SchemaRefs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const [usual] = contract.status;
  for (const status of contract.status) {
    const description = status !== usual ? 'A repeat of an earlier request (the same requestId, or the same CSR while it waits): the first answer again.'
      : status === 204 ? 'Done; no body.' : status === 201 ? 'Created.' : 'OK.';
    if (status === 204) {
      out[status] = { description };
      continue;
    }
    const content = contract.media
      ? { [contract.media]: { schema: { type: 'string', format: 'binary' } } }
      : { 'application/json': { schema: jsonSchemaOf(contract.body!, refs), example: contract.example } };
    const headers = contract.paged
      ? { 'Content-Range': { description: 'The page and the list\'s size: `<resource> <first>-<last>/<total>`.', schema: { type: 'string', example: 'certificates 0-24/113' } } }
      : undefined;
    out[status] = { description, ...(headers ? { headers } : {}), content };
  }
  return out;
}

function problemResponses(codes: ErrorCodeValue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, of] of byStatus(codes)) {
    const example = { type: `https://anchorage.dev/problems/${of[0]}`, title: TITLES[status], status, detail: 'What was refused, and why, in words.', code: of[0] };
    out[status] = {
      description: `${TITLES[status]}: a problem document with code ${of.join(', ')}.`,
      ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds until an attempt is allowed again.', schema: { type: 'integer' } } } } : {}),
      content: { 'application/problem+json': { schema: PROBLEM, example } },
    };
  }
  return out;
}
