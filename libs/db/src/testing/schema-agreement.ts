// Compares what prisma/schema.prisma says about the database (through Prisma's own DMMF) with what
// the SQL migrations built (read from PostgreSQL's catalogs): tables, columns, types, nullability,
// defaults, primary keys, unique constraints and indexes, plain indexes and foreign keys, enums.
// Both sides are first reduced to one shape keyed by SQL names, then compared both ways; every
// difference is one line of text, so a test can print them and match them exactly.
//
// Not compared, because Prisma cannot express them (they live only in the SQL): CHECK and
// exclusion constraints, triggers and functions, storage settings, and indexes with a WHERE
// clause, expressions or INCLUDE columns. One exception: a partial unique index whose WHERE only
// leaves out rows with a NULL key column is the same constraint as a plain unique one (PostgreSQL
// never compares NULLs in a unique key), so it satisfies a Prisma @unique/@@unique on its columns.
// Index column order is compared; sort order (ASC/DESC) and operator classes are not.
import type { ClientBase } from 'pg';
import type { DmmfDatamodel, DmmfField, DmmfModel, ReferentialAction } from './prisma-datamodel';

/** A column default, reduced to what both sides can state. */
export type ColumnDefault =
  | { kind: 'autoincrement' } // Prisma autoincrement(); SQL serial, nextval(...) or an identity column
  | { kind: 'now' } // Prisma now(); SQL now() or CURRENT_TIMESTAMP
  | { kind: 'value'; value: string } // a literal, without quotes or casts
  | { kind: 'expression'; sql: string } // Prisma dbgenerated(...); any other SQL expression
  | { kind: 'client' }; // set by the Prisma client (uuid(), cuid(), @updatedAt...): no SQL default needed

export interface ColumnShape {
  /** PostgreSQL's own spelling, as format_type() gives it: `timestamp(3) with time zone`, `text[]` */
  type: string;
  nullable: boolean;
  default: ColumnDefault | null;
  /** how the other side's lines name it: `Certificate.tbsDer (Bytes?)` for Prisma */
  label?: string;
}

export interface ForeignKeyShape {
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: ReferentialAction;
  /** Prisma: only a stated onUpdate (its implicit Cascade is not compared, see compareSchemas) */
  onUpdate: ReferentialAction | null;
  /** Prisma: onDelete was left to Prisma's default for the relation */
  onDeleteImplicit?: boolean;
  deferrable?: boolean;
  label?: string;
}

export interface TableShape {
  columns: Map<string, ColumnShape>;
  primaryKey: string[] | null;
  /** unique keys (constraints or plain unique indexes), each a list of columns */
  uniques: string[][];
  /** SQL only: partial unique indexes that only leave out NULL keys (equivalent to `uniques`, not required in Prisma) */
  nullFilteredUniques: string[][];
  /** plain (non-unique) indexes, `columns` in index order, `method` when not btree */
  indexes: { columns: string[]; method: string; name: string | null }[];
  foreignKeys: ForeignKeyShape[];
  /** how the other side's lines name it: `model Certificate` for Prisma */
  label?: string;
}

export interface SchemaShape {
  tables: Map<string, TableShape>;
  enums: Map<string, string[]>;
  /** SQL only: what exists but is not compared (CHECK constraints, triggers, partial indexes...) */
  notCompared: string[];
}

// ---------------------------------------------------------------------------------------------
// The database, from pg_catalog

const ACTIONS: Record<string, ReferentialAction> = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' };

/** The schema of the database `client` is connected to (its current schema), from the catalogs. */
export async function readDatabaseSchema(client: ClientBase): Promise<SchemaShape> {
  const inSchema = `n.nspname = current_schema()`;
  const tables = await client.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${inSchema} AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition ORDER BY 1`,
  );
  const columns = await client.query<{ table: string; name: string; type: string; not_null: boolean; default: string | null; identity: string; generated: string }>(
    `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
            pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity AS identity, a.attgenerated AS generated
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE ${inSchema} AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  const columnsOf = (rel: string, keys: string) =>
    `ARRAY(SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY k(num, ord) JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.num ORDER BY k.ord)`;
  const constraints = await client.query<{ name: string; type: string; table: string; columns: string[]; ref_table: string | null; ref_columns: string[]; on_delete: string; on_update: string; deferrable: boolean }>(
    `SELECT con.conname AS name, con.contype AS type, c.relname AS table, ${columnsOf('con.conrelid', 'con.conkey')} AS columns,
            r.relname AS ref_table, ${columnsOf('con.confrelid', 'con.confkey')} AS ref_columns,
            con.confdeltype AS on_delete, con.confupdtype AS on_update, con.condeferrable AS deferrable
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_class r ON r.oid = con.confrelid
      WHERE ${inSchema} ORDER BY c.relname, con.conname`,
  );
  const indexes = await client.query<{ name: string; table: string; unique: boolean; constraint: boolean; expressions: boolean; predicate: string | null; included: boolean; method: string; columns: string[] }>(
    `SELECT ic.relname AS name, c.relname AS table, i.indisunique AS unique,
            EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')) AS constraint,
            i.indexprs IS NOT NULL AS expressions, pg_get_expr(i.indpred, i.indrelid) AS predicate,
            i.indnatts > i.indnkeyatts AS included, am.amname AS method,
            ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(num, ord)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num
                   WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS columns
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = ic.relam
      WHERE ${inSchema} AND c.relkind IN ('r', 'p') ORDER BY c.relname, ic.relname`,
  );
  const triggers = await client.query<{ name: string; table: string }>(
    `SELECT t.tgname AS name, c.relname AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${inSchema} AND NOT t.tgisinternal ORDER BY 2, 1`,
  );
  const enums = await client.query<{ name: string; labels: string[] }>(
    `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE ${inSchema} GROUP BY t.typname ORDER BY 1`,
  );

  const shape: SchemaShape = { tables: new Map(), enums: new Map(enums.rows.map((e) => [e.name, e.labels])), notCompared: [] };
  for (const t of tables.rows) {
    if (t.kind === 'r' || t.kind === 'p') shape.tables.set(t.name, emptyTable());
    else shape.notCompared.push(`${t.kind === 'f' ? 'foreign table' : 'view'} ${t.name}`);
  }
  for (const c of columns.rows) {
    shape.tables.get(c.table)!.columns.set(c.name, {
      type: normalizeType(c.type),
      nullable: !c.not_null,
      default: c.identity !== '' ? { kind: 'autoincrement' } : c.generated !== '' ? null : sqlDefault(c.default),
    });
  }
  for (const con of constraints.rows) {
    const table = shape.tables.get(con.table);
    if (!table) continue;
    if (con.type === 'p') table.primaryKey = con.columns;
    else if (con.type === 'u') table.uniques.push(con.columns);
    else if (con.type === 'f') {
      table.foreignKeys.push({
        columns: con.columns, refTable: con.ref_table!, refColumns: con.ref_columns,
        onDelete: ACTIONS[con.on_delete], onUpdate: ACTIONS[con.on_update], deferrable: con.deferrable,
      });
    } else shape.notCompared.push(`${con.type === 'c' ? 'check' : con.type === 'x' ? 'exclusion' : 'constraint'} ${con.table}.${con.name}`);
  }
  for (const ix of indexes.rows) {
    const table = shape.tables.get(ix.table)!;
    if (ix.constraint) continue; // the primary key or a unique constraint, above
    if (ix.expressions || ix.included) {
      shape.notCompared.push(`index ${ix.table}.${ix.name} (${ix.expressions ? 'expressions' : 'INCLUDE columns'}${ix.predicate ? ', WHERE' : ''})`);
    } else if (ix.predicate) {
      if (ix.unique && onlyNullsLeftOut(ix.predicate, ix.columns)) table.nullFilteredUniques.push(ix.columns);
      else shape.notCompared.push(`index ${ix.table}.${ix.name} (WHERE ${ix.predicate})`);
    } else if (ix.unique) {
      table.uniques.push(ix.columns);
    } else {
      table.indexes.push({ columns: ix.columns, method: ix.method, name: ix.name });
    }
  }
  for (const tr of triggers.rows) shape.notCompared.push(`trigger ${tr.table}.${tr.name}`);
  return shape;
}

function emptyTable(): TableShape {
  return { columns: new Map(), primaryKey: null, uniques: [], nullFilteredUniques: [], indexes: [], foreignKeys: [] };
}

/** Whether an index predicate is only `col IS NOT NULL` terms over the index's own columns. */
function onlyNullsLeftOut(predicate: string, columns: string[]): boolean {
  const terms = stripParens(predicate).split(/\s+AND\s+/i).map(stripParens);
  return terms.every((term) => {
    const m = /^"?([^"\s]+)"?\s+IS\s+NOT\s+NULL$/i.exec(term);
    return m !== null && columns.includes(m[1]);
  });
}

function stripParens(s: string): string {
  let t = s.trim();
  while (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
  return t;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** `'active'::text` -> value active; `now()` -> now; `nextval('x_seq'::regclass)` -> autoincrement. */
function sqlDefault(expr: string | null): ColumnDefault | null {
  if (expr === null) return null;
  const e = expr.trim();
  if (/^nextval\(/i.test(e)) return { kind: 'autoincrement' };
  if (/^(now\(\)|CURRENT_TIMESTAMP|transaction_timestamp\(\))$/i.test(e)) return { kind: 'now' };
  const literal = /^\(?('(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false)\)?(?:::[\w\s".[\]()]+)?$/i.exec(e);
  if (literal) {
    const v = literal[1];
    return { kind: 'value', value: v.startsWith("'") ? v.slice(1, -1).replace(/''/g, "'") : v.toLowerCase() };
  }
  return { kind: 'expression', sql: e };
}

/** One spelling for equivalent types: no quotes, and a timestamp/time without precision is (6). */
function normalizeType(type: string): string {
  return type
    .replace(/"/g, '')
    .replace(/^(timestamp|time)(\(6\))? (with|without) time zone/, '$1 $3 time zone');
}

// ---------------------------------------------------------------------------------------------
// Prisma's model, from the DMMF

const SCALAR_TYPES: Record<string, string> = {
  String: 'text', Int: 'integer', BigInt: 'bigint', Float: 'double precision', Decimal: 'numeric(65,30)',
  Boolean: 'boolean', DateTime: 'timestamp(3) without time zone', Json: 'jsonb', Bytes: 'bytea',
};

/** PostgreSQL's format_type() spelling of a @db.* native type (Prisma's postgresql connector). */
function nativeSqlType(name: string, args: string[]): string {
  const a = args.length ? `(${args.join(',')})` : '';
  switch (name) {
    case 'Text': return 'text';
    case 'Uuid': return 'uuid';
    case 'VarChar': return `character varying${a}`;
    case 'Char': return `character${a}`;
    case 'Bit': return `bit${a}`;
    case 'VarBit': return `bit varying${a}`;
    case 'Integer': return 'integer';
    case 'SmallInt': return 'smallint';
    case 'BigInt': return 'bigint';
    case 'DoublePrecision': return 'double precision';
    case 'Real': return 'real';
    case 'Decimal': return `numeric${a}`;
    case 'Timestamp': return `timestamp${a} without time zone`;
    case 'Timestamptz': return `timestamp${a} with time zone`;
    case 'Time': return `time${a} without time zone`;
    case 'Timetz': return `time${a} with time zone`;
    case 'JsonB': return 'jsonb';
    case 'ByteA': return 'bytea';
    default: return name.toLowerCase() + a; // Date, Json, Xml, Inet, Citext, Money, Oid, Boolean
  }
}

function describeField(f: DmmfField): string {
  const native = f.nativeType ? ` @db.${f.nativeType[0]}${f.nativeType[1].length ? `(${f.nativeType[1].join(',')})` : ''}` : '';
  return `${f.type}${f.isList ? '[]' : f.isRequired ? '' : '?'}${native}`;
}

function prismaDefault(f: DmmfField, enumValueDbName: (value: string) => string): ColumnDefault | null {
  if (f.isUpdatedAt) return { kind: 'client' };
  if (!f.hasDefaultValue) return null;
  const d = f.default;
  if (Array.isArray(d)) return { kind: 'value', value: `{${d.map(String).join(',')}}` };
  if (d !== null && typeof d === 'object') {
    const { name, args } = d as { name: string; args?: unknown[] };
    if (name === 'autoincrement' || name === 'sequence') return { kind: 'autoincrement' };
    if (name === 'now') return { kind: 'now' };
    if (name === 'dbgenerated') return { kind: 'expression', sql: String(args?.[0] ?? '') };
    return { kind: 'client' }; // uuid(), cuid(), nanoid(), ulid(): generated by the client
  }
  return { kind: 'value', value: f.kind === 'enum' ? enumValueDbName(String(d)) : String(d) };
}

/** The schema Prisma's datamodel describes, keyed by SQL names (@@map/@map applied). */
export function prismaSchemaShape(dm: DmmfDatamodel): SchemaShape {
  const shape: SchemaShape = { tables: new Map(), enums: new Map(), notCompared: [] };
  const models = new Map(dm.models.map((m) => [m.name, m]));
  const enums = new Map(dm.enums.map((e) => [e.name, e]));
  const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
  const columnOf = (m: DmmfModel, field: string) => {
    const f = m.fields.find((x) => x.name === field);
    if (!f) throw new Error(`model ${m.name} has no field ${field}`);
    return f.dbName ?? f.name;
  };
  for (const e of dm.enums) shape.enums.set(e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name));

  for (const m of dm.models) {
    const table: TableShape = { ...emptyTable(), label: `model ${m.name}` };
    shape.tables.set(tableOf(m), table);
    for (const f of m.fields) {
      if (f.kind === 'object') continue;
      let type: string;
      if (f.kind === 'enum') {
        const e = enums.get(f.type)!;
        type = e.dbName ?? e.name;
      } else if (f.nativeType) {
        type = nativeSqlType(f.nativeType[0], f.nativeType[1]);
      } else {
        type = SCALAR_TYPES[f.type] ?? `${f.type} (unknown to this comparison)`;
      }
      const valueDbName = (value: string) => enums.get(f.type)?.values.find((v) => v.name === value)?.dbName ?? value;
      table.columns.set(f.dbName ?? f.name, {
        type: normalizeType(f.isList ? `${type}[]` : type),
        nullable: !f.isRequired,
        default: prismaDefault(f, valueDbName),
        label: `${m.name}.${f.name} (${describeField(f)})`,
      });
    }
    for (const f of m.fields) {
      if (f.kind !== 'object' || !f.relationFromFields?.length) continue;
      const target = models.get(f.type)!;
      const optional = f.relationFromFields.some((name) => !m.fields.find((x) => x.name === name)!.isRequired);
      table.foreignKeys.push({
        columns: f.relationFromFields.map((name) => columnOf(m, name)),
        refTable: tableOf(target),
        refColumns: (f.relationToFields ?? []).map((name) => columnOf(target, name)),
        // Prisma's default when onDelete is not stated: SetNull for an optional relation, Restrict for a required one
        onDelete: f.relationOnDelete ?? (optional ? 'SetNull' : 'Restrict'),
        onDeleteImplicit: f.relationOnDelete === undefined,
        onUpdate: f.relationOnUpdate ?? null,
        label: `${m.name}.${f.name}`,
      });
    }
  }
  for (const ix of dm.indexes) {
    const m = models.get(ix.model)!;
    const table = shape.tables.get(tableOf(m))!;
    const columns = ix.fields.map((f) => columnOf(m, f.name));
    if (ix.type === 'id') table.primaryKey = columns;
    else if (ix.type === 'unique') table.uniques.push(columns);
    else if (ix.type === 'normal') {
      const method = (ix.algorithm ?? 'BTree').toLowerCase();
      table.indexes.push({ columns, method, name: ix.dbName ?? null });
    } else table.indexes.push({ columns, method: ix.type, name: ix.dbName ?? null });
  }
  return shape;
}

// ---------------------------------------------------------------------------------------------
// The comparison

/** What the comparison leaves alone, each entry with the reason (Prisma cannot express it). */
export interface AllowList {
  /** tables with no Prisma model */
  tables: Record<string, string>;
  /** `table.column`: a nullable SQL column Prisma must declare required (scalar lists cannot be optional) */
  nullableLists: Record<string, string>;
}

const list = (cols: string[]) => cols.join(', ');
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function describeDefault(d: ColumnDefault | null): string {
  if (d === null) return 'none';
  switch (d.kind) {
    case 'autoincrement': return 'autoincrement';
    case 'now': return 'now()';
    case 'value': return d.value === '' ? "''" : d.value;
    case 'expression': return `expression ${d.sql}`;
    case 'client': return 'set by the Prisma client';
  }
}

function defaultsAgree(prisma: ColumnDefault | null, sql: ColumnDefault | null): boolean {
  if (prisma?.kind === 'client') return true;
  if (prisma === null || sql === null) return prisma === sql;
  if (prisma.kind === 'expression') return true; // dbgenerated(...): PostgreSQL rewrites the text, so only its presence is compared
  if (prisma.kind !== sql.kind) return false;
  return prisma.kind !== 'value' || prisma.value === (sql as { value: string }).value;
}

/**
 * NO ACTION and RESTRICT differ only when the check is deferred: for a constraint that is not
 * DEFERRABLE both refuse the delete at the end of the statement's own checks.
 */
function actionsAgree(prisma: ReferentialAction, sql: ReferentialAction, deferrable: boolean): boolean {
  if (prisma === sql) return true;
  const refuse = new Set<ReferentialAction>(['NoAction', 'Restrict']);
  return !deferrable && refuse.has(prisma) && refuse.has(sql);
}

/**
 * Every difference between Prisma's model and the database, one sorted line each, in the form
 * `<what> <where>: <difference>`. Empty when they agree.
 *
 * A relation's onDelete is compared with Prisma's default when the schema does not state it
 * (SetNull for an optional relation, Restrict for a required one): that default is what Prisma
 * takes the relation to do. Its implicit onUpdate (Cascade) is not compared, only a stated one:
 * SQL's default NO ACTION on every foreign key would otherwise be reported once per relation.
 */
export function compareSchemas(prisma: SchemaShape, sql: SchemaShape, allow: AllowList): string[] {
  const out: string[] = [];

  for (const [name, values] of prisma.enums) {
    const found = sql.enums.get(name);
    if (!found) out.push(`enum ${name}: in Prisma, not in SQL`);
    else if (!sameList(values, found)) out.push(`enum ${name}: values: Prisma (${list(values)}), SQL (${list(found)})`);
  }
  for (const name of sql.enums.keys()) if (!prisma.enums.has(name)) out.push(`enum ${name}: in SQL, not in Prisma`);

  for (const name of sql.tables.keys()) {
    if (!prisma.tables.has(name) && !(name in allow.tables)) out.push(`table ${name}: in SQL, no Prisma model`);
  }
  for (const [name, p] of prisma.tables) {
    const s = sql.tables.get(name);
    if (!s) {
      out.push(`table ${name}: ${p.label} maps to it, not in SQL`);
      continue;
    }
    out.push(...compareTable(name, p, s, allow));
  }
  return [...new Set(out)].sort();
}

function compareTable(name: string, p: TableShape, s: TableShape, allow: AllowList): string[] {
  const out: string[] = [];
  for (const [col, sc] of s.columns) {
    if (!p.columns.has(col)) out.push(`column ${name}.${col}: in SQL (${sc.type}${sc.nullable ? ' NULL' : ' NOT NULL'}), no field in ${p.label}`);
  }
  for (const [col, pc] of p.columns) {
    const sc = s.columns.get(col);
    const where = `column ${name}.${col}`;
    if (!sc) {
      out.push(`${where}: ${pc.label} maps to it, not in SQL`);
      continue;
    }
    if (pc.type !== sc.type) out.push(`${where}: type: Prisma ${pc.type} (${pc.label}), SQL ${sc.type}`);
    const listAllowed = sc.nullable && !pc.nullable && pc.type.endsWith('[]') && `${name}.${col}` in allow.nullableLists;
    if (pc.nullable !== sc.nullable && !listAllowed) {
      out.push(`${where}: nullability: Prisma ${pc.nullable ? 'optional' : 'required'} (${pc.label}), SQL ${sc.nullable ? 'NULL' : 'NOT NULL'}`);
    }
    if (!defaultsAgree(pc.default, sc.default)) {
      out.push(`${where}: default: Prisma ${describeDefault(pc.default)} (${pc.label}), SQL ${describeDefault(sc.default)}`);
    }
  }

  const pk = (k: string[] | null) => (k ? `(${list(k)})` : 'none');
  if (!(p.primaryKey && s.primaryKey ? sameList(p.primaryKey, s.primaryKey) : p.primaryKey === s.primaryKey)) {
    out.push(`primary key ${name}: Prisma ${pk(p.primaryKey)}, SQL ${pk(s.primaryKey)}`);
  }

  for (const u of p.uniques) {
    if (![...s.uniques, ...s.nullFilteredUniques].some((x) => sameSet(x, u))) out.push(`unique ${name}(${list(u)}): in Prisma (${p.label}), not in SQL`);
  }
  for (const u of s.uniques) {
    if (!p.uniques.some((x) => sameSet(x, u))) out.push(`unique ${name}(${list(u)}): in SQL, not in Prisma (${p.label})`);
  }

  const idx = (i: { columns: string[]; method: string }) => `index ${name}(${list(i.columns)})${i.method === 'btree' ? '' : ` using ${i.method}`}`;
  for (const i of p.indexes) {
    const found = s.indexes.find((x) => sameList(x.columns, i.columns) && x.method === i.method);
    if (!found) out.push(`${idx(i)}: in Prisma (${p.label}), not in SQL`);
    else if (i.name !== null && i.name !== found.name) out.push(`${idx(i)}: name: Prisma ${i.name}, SQL ${found.name}`);
  }
  for (const i of s.indexes) {
    if (!p.indexes.some((x) => sameList(x.columns, i.columns) && x.method === i.method)) out.push(`${idx(i)}: in SQL (${i.name}), not in Prisma (${p.label})`);
  }

  const fkName = (f: ForeignKeyShape) => `foreign key ${name}(${list(f.columns)}) -> ${f.refTable}(${list(f.refColumns)})`;
  const sameFk = (a: ForeignKeyShape, b: ForeignKeyShape) => sameList(a.columns, b.columns) && a.refTable === b.refTable && sameList(a.refColumns, b.refColumns);
  for (const f of p.foreignKeys) {
    const found = s.foreignKeys.find((x) => sameFk(x, f));
    if (!found) {
      out.push(`${fkName(f)}: in Prisma (${f.label}), not in SQL`);
      continue;
    }
    if (!actionsAgree(f.onDelete, found.onDelete, found.deferrable ?? false)) {
      out.push(`${fkName(f)}: onDelete: Prisma ${f.onDelete}${f.onDeleteImplicit ? ' (not stated: its default for this relation)' : ''} (${f.label}), SQL ${found.onDelete}`);
    }
    if (f.onUpdate !== null && found.onUpdate !== null && !actionsAgree(f.onUpdate, found.onUpdate, found.deferrable ?? false)) {
      out.push(`${fkName(f)}: onUpdate: Prisma ${f.onUpdate} (${f.label}), SQL ${found.onUpdate}`);
    }
  }
  for (const f of s.foreignKeys) {
    if (!p.foreignKeys.some((x) => sameFk(x, f))) out.push(`${fkName(f)}: in SQL, no relation in Prisma (${p.label})`);
  }
  return out;
}
