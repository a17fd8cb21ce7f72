// The OpenAPI document states each route's input from the same schemas the edge enforces
// (libs/contracts ROUTE_SCHEMAS): the request body as JSON Schema and the list filter's fields. The
// 400 problem document a request of another shape gets is stated with the route's other answers
// (openapi-responses.ts).
import type { OpenAPIObject } from '@nestjs/swagger';
import { ROUTE_SCHEMAS } from '@anchorage/contracts';
import { isAbsent, jsonSchemaOf } from './json-schema';

/** The operation of route key 'METHOD /path' in a document made by Nest, if there is one. */
export function operationOf(doc: OpenAPIObject, key: string): Record<string, unknown> | undefined {
  const [method, path] = key.split(' ');
  return (doc.paths[path.replace(/:(\w+)/g, '{$1}')] as Record<string, Record<string, unknown>> | undefined)?.[method.toLowerCase()];
}

/** Adds each route's body schema and filter fields to an OpenAPI document made by Nest. */
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
    if (schema.filter) {
      const fields = Object.keys(schema.filter.shape);
      op.parameters = [...((op.parameters as unknown[]) ?? []), {
        name: 'filter', in: 'query', required: false,
        description: fields.length ? `JSON object with any of: ${fields.join(', ')}` : 'this list takes no filter',
        schema: { type: 'string' },
      }];
    }
  }
  return doc;
}
