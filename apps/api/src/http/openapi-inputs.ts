// The OpenAPI document states each route's input from the same schemas the edge enforces
// (libs/contracts ROUTE_SCHEMAS): the request body as JSON Schema and each query parameter (a list's
// filter, range and sort; the audit log's), described from its schema. The 400 problem document a
// request of another shape gets is stated with the route's other answers (openapi-responses.ts).
import type { OpenAPIObject } from '@nestjs/swagger';
import { ROUTE_SCHEMAS } from '@anchorage/contracts';
import type { z } from 'zod';
import { isAbsent, jsonSchemaOf } from './json-schema';

/** An OpenAPI parameter (the fields used here). */
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: unknown;
}

/** The query parameters of a route's query schema, each with its schema's description. */
function queryParameters(query: z.AnyZodObject): Parameter[] {
  return Object.entries(query.shape as Record<string, z.ZodTypeAny>).map(([name, s]) => {
    const { description, ...schema } = jsonSchemaOf(s);
    return { name, in: 'query', required: !s.isOptional(), ...(typeof description === 'string' ? { description } : {}), schema };
  });
}

/** The operation of route key 'METHOD /path' in a document made by Nest, if there is one. */
export function operationOf(doc: OpenAPIObject, key: string): Record<string, unknown> | undefined {
  const [method, path] = key.split(' ');
  return (doc.paths[path.replace(/:(\w+)/g, '{$1}')] as Record<string, Record<string, unknown>> | undefined)?.[method.toLowerCase()];
}

/** Adds each route's body schema and query parameters to an OpenAPI document made by Nest. */
export function describeInputs(doc: OpenAPIObject): OpenAPIObject {
  for (const [key, schema] of Object.entries(ROUTE_SCHEMAS)) {
    const op = operationOf(doc, key);
    if (!op) throw new Error(`${key} has an input schema but no operation in the OpenAPI document`);
    if (schema.body && !isAbsent(schema.body)) {
      const body = jsonSchemaOf(schema.body);
      // a body the route does not read ("none") is described as optional
      const optional = (schema.body._def as { typeName: string }).typeName === 'ZodUnion';
      op.requestBody = { required: !optional, content: { 'application/json': { schema: body } } };
    }
    if (schema.query) {
      const params = queryParameters(schema.query);
      // the schema's description of a parameter replaces any Nest made from the handler's decorators
      const kept = ((op.parameters as Parameter[] | undefined) ?? []).filter((p) => !(p.in === 'query' && params.some((q) => q.name === p.name)));
      op.parameters = [...kept, ...params];
    }
  }
  return doc;
}
