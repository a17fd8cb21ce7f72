// Zod schemas of libs/contracts (ROUTE_SCHEMAS, ROUTE_RESPONSES) as JSON Schema for the OpenAPI
// document. The schemas use a small set of zod types, translated here; a type outside that set fails
// the document's build (and its test) rather than being described wrongly.
import type { z } from 'zod';

/** A JSON Schema (OpenAPI 3.0 dialect) object. */
export type JsonSchema = Record<string, unknown>;

/** Named schemas: where one of them appears inside another, the document refers to its component. */
export type SchemaRefs = ReadonlyMap<z.ZodTypeAny, string>;

const NONE: SchemaRefs = new Map();

/** The JSON Schema of a zod schema; `refs` names components, `self` is the component being written. */
export function jsonSchemaOf(schema: z.ZodTypeAny, refs: SchemaRefs = NONE, self?: z.ZodTypeAny): JsonSchema {
  const name = schema === self ? undefined : refs.get(schema);
  if (name) return { $ref: `#/components/schemas/${name}` };
  const out = translate(schema, refs);
  return schema.description ? { ...out, description: schema.description } : out;
}

function translate(schema: z.ZodTypeAny, refs: SchemaRefs): JsonSchema {
  const def = schema._def as { typeName: string } & Record<string, unknown>;
  const inner = (s: unknown) => jsonSchemaOf(s as z.ZodTypeAny, refs);
  switch (def.typeName) {
    case 'ZodString': {
      const checks = (def.checks as { kind: string; value?: number; regex?: RegExp }[]) ?? [];
      const out: JsonSchema = { type: 'string' };
      for (const c of checks) {
        if (c.kind === 'max') out.maxLength = c.value;
        if (c.kind === 'min') out.minLength = c.value;
        if (c.kind === 'uuid') out.format = 'uuid';
        if (c.kind === 'datetime') out.format = 'date-time';
        if (c.kind === 'regex' && c.regex) out.pattern = c.regex.source;
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
    case 'ZodUnknown': return {};
    case 'ZodLiteral': return { enum: [def.value] };
    case 'ZodEnum': return { type: 'string', enum: def.values };
    case 'ZodArray': {
      const max = (def.maxLength as { value: number } | null)?.value;
      return { type: 'array', items: inner(def.type), ...(max !== undefined ? { maxItems: max } : {}) };
    }
    case 'ZodRecord': {
      const values = inner(def.valueType);
      return { type: 'object', additionalProperties: Object.keys(values).length ? values : true };
    }
    case 'ZodOptional': return inner(def.innerType);
    // a refinement or a transform: what is sent is the inner schema's (a rule across fields is in the description)
    case 'ZodEffects': return inner(def.schema);
    // JSON in a query parameter, parsed then checked: what is sent is the first schema's (text)
    case 'ZodPipeline': return inner(def.in);
    case 'ZodNullable': {
      const s = inner(def.innerType);
      // OpenAPI 3.0 ignores siblings of $ref: a nullable reference wraps it
      return s.$ref ? { allOf: [s], nullable: true } : { ...s, nullable: true };
    }
    case 'ZodUnion': return { anyOf: (def.options as z.ZodTypeAny[]).filter((o) => !isAbsent(o)).map((o) => jsonSchemaOf(o, refs)) };
    case 'ZodObject': {
      const shape = (schema as z.AnyZodObject).shape as Record<string, z.ZodTypeAny>;
      const required = Object.entries(shape).filter(([, v]) => !v.isOptional()).map(([k]) => k);
      return {
        type: 'object',
        properties: Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, jsonSchemaOf(v, refs)])),
        ...(required.length ? { required } : {}),
        additionalProperties: (def.unknownKeys as string) === 'passthrough',
      };
    }
    default: throw new Error(`no JSON Schema translation for ${def.typeName}`);
  }
}

/** A union member that stands for "no value" (an absent or null body). */
export function isAbsent(s: z.ZodTypeAny): boolean {
  const t = (s._def as { typeName: string }).typeName;
  return t === 'ZodUndefined' || t === 'ZodNull';
}
