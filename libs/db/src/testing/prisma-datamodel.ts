// Prisma's own reading of prisma/schema.prisma (its DMMF), without the native schema engine: the
// Prisma CLI package ships the schema parser as WebAssembly (build/prisma_schema_build_bg.wasm, the
// same code `prisma generate` and `prisma validate` run), and this loads it with a minimal version
// of the wasm-bindgen glue the CLI bundles. No network, no binary download, no extra package.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_MIGRATIONS_DIR } from '../migrate';

/** prisma/schema.prisma, next to the migrations folder. */
export const DEFAULT_SCHEMA_PATH = join(DEFAULT_MIGRATIONS_DIR, '..', 'schema.prisma');

/** A referential action as the DMMF names it. */
export type ReferentialAction = 'Cascade' | 'Restrict' | 'NoAction' | 'SetNull' | 'SetDefault';

/** The parts of a DMMF field the schema comparison reads. */
export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  isUpdatedAt?: boolean;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: ReferentialAction;
  relationOnUpdate?: ReferentialAction;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  schema?: string | null;
  fields: DmmfField[];
}

export interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName: string | null }[];
}

/** `@id`/`@@id`, `@unique`/`@@unique` and `@@index`, as `datamodel.indexes` lists them. */
export interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: 'asc' | 'desc' }[];
}

export interface DmmfDatamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes: DmmfIndex[];
}

interface SchemaWasm {
  memory: WebAssembly.Memory;
  get_dmmf(ptr: number, len: number): [number, number, number, number];
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_free(ptr: number, size: number, align: number): void;
  __wbindgen_externrefs: WebAssembly.Table;
  __externref_table_dealloc(index: number): void;
  __wbindgen_start(): void;
}

let loaded: { wasm: SchemaWasm; lastPanic: () => string | undefined } | undefined;

function schemaWasm(): { wasm: SchemaWasm; lastPanic: () => string | undefined } {
  if (loaded) return loaded;
  const file = join(dirname(require.resolve('prisma/package.json')), 'build', 'prisma_schema_build_bg.wasm');
  const module = new WebAssembly.Module(readFileSync(file));
  const state: { wasm?: SchemaWasm; panic?: string } = {};
  const text = (ptr: number, len: number): string => new TextDecoder().decode(new Uint8Array(state.wasm!.memory.buffer, ptr >>> 0, len >>> 0));
  // wasm-bindgen suffixes its import names with a hash of the signature: match on the stable part,
  // and refuse anything new, so a Prisma upgrade that changes the interface fails here, by name.
  const placeholder: Record<string, (...args: number[]) => unknown> = {};
  for (const { module: from, name } of WebAssembly.Module.imports(module)) {
    if (from !== '__wbindgen_placeholder__') throw new Error(`${file}: unexpected import ${from}.${name}; update libs/db/src/testing/prisma-datamodel.ts for this Prisma version`);
    if (name.startsWith('__wbg_set_message_')) placeholder[name] = (ptr, len) => { state.panic = text(ptr, len); };
    else if (name.startsWith('__wbg_Error_')) placeholder[name] = (ptr, len) => new Error(text(ptr, len));
    else if (name.includes('__wbindgen_throw')) placeholder[name] = (ptr, len) => { throw new Error(text(ptr, len)); };
    else if (name === '__wbindgen_init_externref_table') {
      placeholder[name] = () => {
        const table = state.wasm!.__wbindgen_externrefs;
        const at = table.grow(4);
        table.set(0, undefined);
        table.set(at, undefined);
        table.set(at + 1, null);
        table.set(at + 2, true);
        table.set(at + 3, false);
      };
    } else throw new Error(`${file}: unexpected import ${name}; update libs/db/src/testing/prisma-datamodel.ts for this Prisma version`);
  }
  const wasm = new WebAssembly.Instance(module, { __wbindgen_placeholder__: placeholder }).exports as unknown as SchemaWasm;
  state.wasm = wasm;
  wasm.__wbindgen_start();
  loaded = { wasm, lastPanic: () => state.panic };
  return loaded;
}

/** Prisma's datamodel (DMMF) of a schema text, parsed and validated by Prisma's own schema code. */
export function prismaDatamodelOf(schema: string, fileName = 'schema.prisma'): DmmfDatamodel {
  const { wasm, lastPanic } = schemaWasm();
  const input = new TextEncoder().encode(JSON.stringify({ prismaSchema: [[fileName, schema]], noColor: true }));
  const ptr = wasm.__wbindgen_malloc(input.length, 1) >>> 0;
  new Uint8Array(wasm.memory.buffer, ptr, input.length).set(input);
  let result: [number, number, number, number];
  try {
    result = wasm.get_dmmf(ptr, input.length);
  } catch (err) {
    throw new Error(`Prisma's schema parser failed: ${lastPanic() ?? (err as Error).message}`);
  }
  const [outPtr, outLen, errIndex, failed] = result;
  if (failed) {
    const err = wasm.__wbindgen_externrefs.get(errIndex) as Error;
    wasm.__externref_table_dealloc(errIndex);
    let message = err.message;
    try {
      message = (JSON.parse(message) as { message?: string }).message ?? message;
    } catch {
      // not JSON: keep the text as it is
    }
    throw new Error(`${fileName} is not a valid Prisma schema:\n${message}`);
  }
  let json: string;
  try {
    json = new TextDecoder().decode(new Uint8Array(wasm.memory.buffer, outPtr >>> 0, outLen >>> 0));
  } finally {
    wasm.__wbindgen_free(outPtr, outLen, 1);
  }
  const datamodel = (JSON.parse(json) as { datamodel: DmmfDatamodel }).datamodel;
  if (!Array.isArray(datamodel.indexes)) throw new Error('this Prisma version\'s DMMF has no datamodel.indexes; update libs/db/src/testing/prisma-datamodel.ts');
  return datamodel;
}

/** Prisma's datamodel of prisma/schema.prisma (or of the schema file at `path`). */
export function readPrismaDatamodel(path = DEFAULT_SCHEMA_PATH): DmmfDatamodel {
  return prismaDatamodelOf(readFileSync(path, 'utf8'), path);
}
