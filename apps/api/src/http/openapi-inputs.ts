// The OpenAPI document states each route's input from the same schemas the edge enforces
// (libs/contracts ROUTE_SCHEMAS): the request body as JSON Schema, the list filter's fields, and the
// 400 problem document a request of another shape gets. The zod schemas use a small set of types,
// translated here; a type outside that set fails the document's build (and its test) rather than
// being described wrongly.
import type { OpenAPIObject } from '@nestjs/swagger';
import type { z } from 'zod';
import { ROUTE_SCHEMAS } from '@anchorage/contracts';

/** A JSON Schema (OpenAPI 3.0 dialect) object. */
type JsonSchema = Record<string, unknown>;

/** The JSON Schema of a zod schema built from the types ROUTE_SCHEMAS uses. */
export function jsonSchemaOf(schema: z.ZodTypeAny): JsonSchema {
  const def = schema._def as { typeName: string } & Record<string, unknown>;
  switch (def.typeName) {
    case 'ZodString': {
      const checks = (def.checks as { kind: string; value?: number }[]) ?? [];
      const out: JsonSchema = { type: 'string' };
      for (const c of checks) {
        if (c.kind === 'max') out.maxLength = c.value;
        if (c.kind === 'min') out.minLength = c.value;
        if (c.kind === 'uuid') out.format = 'uuid';
      }
      return out;
    }
    case 'ZodNumber': {
      const checks = (def.checks as { kind: string; value?: number; inclusive?: boolean }[]) ?? [];
      const out: JsonSchema = { type: checks.some((c) => c.kind === 'int') ? 'integer' : 'number' };
      for (const c of checks) if (c.kind === 'min') out.minimum = c.value;
      return out;
    }
    case 'ZodBoolean': return { type: 'boolean' };
    case 'ZodLiteral': return { enum: [def.value] };
    case 'ZodEnum': return { type: 'string', enum: def.values };
    case 'ZodArray': {
      const max = (def.maxLength as { value: number } | null)?.value;
      return { type: 'array', items: jsonSchemaOf(def.type as z.ZodTypeAny), ...(max !== undefined ? { maxItems: max } : {}) };
    }
    case 'ZodOptional': return jsonSchemaOf(def.innerType as z.ZodTypeAny);
    case 'ZodNullable': return { ...jsonSchemaOf(def.innerType as z.ZodTypeAny), nullable: true };
    case 'ZodUnion': return { anyOf: (def.options as z.ZodTypeAny[]).filter((o) => !isAbsent(o)).map(jsonSchemaOf) };
    case 'ZodObject': {
      const shape = (schema as z.AnyZodObject).shape as Record<string, z.ZodTypeAny>;
      const required = Object.entries(shape).filter(([, v]) => !v.isOptional()).map(([k]) => k);
      return {
        type: 'object',
        properties: Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, jsonSchemaOf(v)])),
        ...(required.length ? { required } : {}),
        additionalProperties: (def.unknownKeys as string) === 'passthrough',
      };
    }
    default: throw new Error(`no JSON Schema translation for ${def.typeName}`);
  }
}

function isAbsent(s: z.ZodTypeAny): boolean {
  const t = (s._def as { typeName: string }).typeName;
  return t === 'ZodUndefined' || t === 'ZodNull';
}

/** RFC 7807 problem document, as every error of the API is answered. */
const PROBLEM: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, instance: { type: 'string' }, code: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
};

/** Adds each route's body schema, filter fields and 400 problem response to an OpenAPI document made by Nest. */
export function describeInputs(doc: OpenAPIObject): OpenAPIObject {
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, Problem: PROBLEM as never } };
  for (const [key, schema] of Object.entries(ROUTE_SCHEMAS)) {
    const [method, path] = key.split(' ');
    const op = (doc.paths[path.replace(/:(\w+)/g, '{$1}')] as Record<string, Record<string, unknown>> | undefined)?.[method.toLowerCase()];
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
    op.responses = {
      ...(op.responses as Record<string, unknown>),
      400: { description: 'The input does not have the route\'s shape (each bad field named in `errors`).', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    };
  }
  return doc;
}
