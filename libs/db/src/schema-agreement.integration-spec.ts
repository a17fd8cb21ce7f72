import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { testDatabaseUrl } from '@anchorage/testing';
import { createMigratedDatabase, type FreshDatabase } from './fresh-database';
import { DEFAULT_SCHEMA_PATH, prismaDatamodelOf, readPrismaDatamodel } from './testing/prisma-datamodel';
import { compareSchemas, prismaSchemaShape, readDatabaseSchema, type AllowList, type SchemaShape } from './testing/schema-agreement';

// prisma/schema.prisma only types the client; the SQL migrations build the database. This checks,
// both ways, that the schema describes the database the migrations build, whatever tables they add:
// Prisma's model comes from its own schema parser (WebAssembly, no schema engine), the database's
// from the catalogs of a freshly migrated database. CHECK constraints, triggers, partial,
// expression and INCLUDE indexes are not compared (Prisma cannot express them; see
// testing/schema-agreement.ts). Everything else that differs fails, unless ALLOW below lists it.

/** What Prisma cannot express, each with the reason it stays out of the comparison. */
const ALLOW: AllowList = {
  tables: {
    // the migrator's bookkeeping (libs/db migrate.ts, same layout as `prisma migrate deploy`): no model by design
    _prisma_migrations: 'migration bookkeeping',
  },
  nullableLists: {
    // NULL until the notice's e-mail is sent. A Prisma scalar list cannot be optional; the client reads NULL as [].
    'expiry_notice.email_to': 'a Prisma list cannot be optional',
  },
};

const runDatabase = () => new URL(testDatabaseUrl()).pathname.slice(1);

async function openFresh(suffix: string): Promise<{ fresh: FreshDatabase; client: Client }> {
  const fresh = await createMigratedDatabase(testDatabaseUrl(), `${runDatabase()}_${suffix}`.slice(0, 63));
  const client = new Client({ connectionString: fresh.url });
  await client.connect();
  return { fresh, client };
}

describe('prisma/schema.prisma agrees with the SQL migrations (real PostgreSQL)', () => {
  let fresh: FreshDatabase;
  let client: Client;

  beforeAll(async () => {
    ({ fresh, client } = await openFresh('schema'));
  });
  afterAll(async () => {
    await client?.end();
    await fresh?.drop();
  });

  it('every model, field, key, unique, index and relation is in the migrated database, and everything there is in the schema', async () => {
    const found = compareSchemas(prismaSchemaShape(readPrismaDatamodel()), await readDatabaseSchema(client), ALLOW);
    if (found.length > 0) {
      throw new Error(
        `prisma/schema.prisma (${DEFAULT_SCHEMA_PATH}) disagrees with the database the migrations build, in ${found.length} place(s):\n  ` +
        `${found.join('\n  ')}\n` +
        'Make schema.prisma describe what the migrations create (the SQL is authoritative), then run `npm run db:generate`.',
      );
    }
  });
});

describe('the schema comparison reports drift (throwaway database)', () => {
  let fresh: FreshDatabase;
  let client: Client;
  let before: string[];
  let prisma: SchemaShape;

  beforeAll(async () => {
    prisma = prismaSchemaShape(readPrismaDatamodel());
    ({ fresh, client } = await openFresh('schema_drift'));
    before = compareSchemas(prisma, await readDatabaseSchema(client), ALLOW);
  });
  afterAll(async () => {
    await client?.end();
    await fresh?.drop();
  });

  /** The lines the comparison adds and removes after `sql` (rolled back afterwards: each case starts from the migrated database). */
  async function driftOf(sql: string, schema = prisma): Promise<{ added: string[]; removed: string[] }> {
    await client.query('BEGIN');
    try {
      await client.query(sql);
      const after = compareSchemas(schema, await readDatabaseSchema(client), ALLOW);
      return { added: after.filter((d) => !before.includes(d)), removed: before.filter((d) => !after.includes(d)) };
    } finally {
      await client.query('ROLLBACK');
    }
  }

  it.each([
    ['a column made nullable', 'ALTER TABLE community ALTER COLUMN name DROP NOT NULL',
      'column community.name: nullability: Prisma required (Community.name (String)), SQL NULL'],
    ['a column added', 'ALTER TABLE community ADD COLUMN drift_note TEXT',
      'column community.drift_note: in SQL (text NULL), no field in model Community'],
    ['a column dropped', 'ALTER TABLE community DROP COLUMN auto_approve_verified',
      'column community.auto_approve_verified: Community.autoApproveVerified (Boolean) maps to it, not in SQL'],
    ['a type changed', 'ALTER TABLE community ALTER COLUMN crl_lifetime_seconds TYPE BIGINT',
      'column community.crl_lifetime_seconds: type: Prisma integer (Community.crlLifetimeSeconds (Int)), SQL bigint'],
    ['a timestamp precision changed', 'ALTER TABLE community ALTER COLUMN created_at TYPE TIMESTAMPTZ(6)',
      'column community.created_at: type: Prisma timestamp(3) with time zone (Community.createdAt (DateTime @db.Timestamptz(3))), SQL timestamp with time zone'],
    ['a default dropped', 'ALTER TABLE community ALTER COLUMN require_rsa_chain DROP DEFAULT',
      'column community.require_rsa_chain: default: Prisma false (Community.requireRsaChain (Boolean)), SQL none'],
    ['a default changed', "ALTER TABLE organization ALTER COLUMN status SET DEFAULT 'draft'",
      'column organization.status: default: Prisma active (Organization.status (String)), SQL draft'],
    ['a unique constraint dropped', 'ALTER TABLE community DROP CONSTRAINT community_uri_key',
      'unique community(uri): in Prisma (model Community), not in SQL'],
    ['a unique index added', 'CREATE UNIQUE INDEX drift_name_key ON community (name)',
      'unique community(name): in SQL, not in Prisma (model Community)'],
    ['a primary key widened', 'ALTER TABLE san_binding DROP CONSTRAINT san_binding_pkey, ADD PRIMARY KEY (community_id, uri, organization_id)',
      'primary key san_binding: Prisma (community_id, uri), SQL (community_id, uri, organization_id)'],
    ['an index dropped', 'DROP INDEX organization_status_idx',
      'index organization(community_id, status): in Prisma (model Organization), not in SQL'],
    ['a foreign key dropped', 'ALTER TABLE san_binding DROP CONSTRAINT san_binding_organization_id_fkey',
      'foreign key san_binding(organization_id) -> organization(id): in Prisma (SanBinding.organization), not in SQL'],
    ['a foreign key made to cascade',
      'ALTER TABLE organization DROP CONSTRAINT organization_community_id_fkey, ADD FOREIGN KEY (community_id) REFERENCES community (id) ON DELETE CASCADE',
      'foreign key organization(community_id) -> community(id): onDelete: Prisma Restrict (not stated: its default for this relation) (Organization.community), SQL Cascade'],
    ['a stated onDelete no longer in SQL',
      'ALTER TABLE operator_community DROP CONSTRAINT operator_community_user_id_fkey, ADD FOREIGN KEY (user_id) REFERENCES app_user (id)',
      'foreign key operator_community(user_id) -> app_user(id): onDelete: Prisma Cascade (OperatorCommunity.user), SQL NoAction'],
    ['an optional relation made to set null',
      'ALTER TABLE app_user DROP CONSTRAINT app_user_organization_id_fkey, ADD FOREIGN KEY (organization_id) REFERENCES organization (id) ON DELETE SET NULL',
      'foreign key app_user(organization_id) -> organization(id): onDelete: Prisma NoAction (User.organization), SQL SetNull'],
    ['an index renamed', 'ALTER INDEX certificate_org_idx RENAME TO drift_org_idx',
      'index certificate(organization_id): name: Prisma certificate_org_idx, SQL drift_org_idx'],
    ['a table added', 'CREATE TABLE drift_table (id UUID PRIMARY KEY)', 'table drift_table: in SQL, no Prisma model'],
    ['an enum type added', "CREATE TYPE drift_kind AS ENUM ('a', 'b')", 'enum drift_kind: in SQL, not in Prisma'],
  ])('%s', async (_name, sql, expected) => {
    expect(await driftOf(sql)).toEqual({ added: [expected], removed: [] });
  });

  it('a table dropped is reported once for the table, not per column', async () => {
    const { added, removed } = await driftOf('DROP TABLE endpoint_check');
    expect(removed).toEqual([]);
    expect(added).toEqual(['table endpoint_check: model EndpointCheck maps to it, not in SQL']);
  });

  // A future migration may use what today's tables do not: enums, varchar, numeric, identity columns,
  // list defaults, database-generated defaults, compound uniques, named indexes, ON DELETE CASCADE.
  const FUTURE_SQL = `
    CREATE TYPE drift_level AS ENUM ('low', 'high');
    CREATE TABLE drift_parent (id INTEGER PRIMARY KEY);
    CREATE TABLE drift_probe (
      id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
      code VARCHAR(40) NOT NULL,
      amount NUMERIC(10, 2),
      level drift_level NOT NULL DEFAULT 'low',
      tags TEXT[] NOT NULL DEFAULT '{}',
      seen_at TIMESTAMPTZ(3),
      counter BIGINT GENERATED BY DEFAULT AS IDENTITY,
      parent_id INTEGER NOT NULL REFERENCES drift_parent (id) ON DELETE CASCADE,
      UNIQUE (parent_id, code)
    );
    CREATE INDEX drift_probe_seen_idx ON drift_probe (seen_at);`;
  const futureModels = (levelValues: string) => `
    enum DriftLevel {
      ${levelValues}
      @@map("drift_level")
    }
    model DriftParent {
      id     Int          @id
      probes DriftProbe[]
      @@map("drift_parent")
    }
    model DriftProbe {
      id       String      @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid
      code     String      @db.VarChar(40)
      amount   Decimal?    @db.Decimal(10, 2)
      level    DriftLevel  @default(low)
      tags     String[]    @default([])
      seenAt   DateTime?   @map("seen_at") @db.Timestamptz(3)
      counter  BigInt      @default(autoincrement())
      parentId Int         @map("parent_id")
      parent   DriftParent @relation(fields: [parentId], references: [id], onDelete: Cascade)
      @@unique([parentId, code])
      @@index([seenAt], map: "drift_probe_seen_idx")
      @@map("drift_probe")
    }`;
  const withModels = (models: string) => prismaSchemaShape(prismaDatamodelOf(readFileSync(DEFAULT_SCHEMA_PATH, 'utf8') + models));

  it('a new table with types not used yet agrees with a model that describes it', async () => {
    expect(await driftOf(FUTURE_SQL, withModels(futureModels('low\n      high')))).toEqual({ added: [], removed: [] });
  });

  it('an enum whose values differ is reported', async () => {
    expect(await driftOf(FUTURE_SQL, withModels(futureModels('low\n      medium\n      high')))).toEqual({
      added: ['enum drift_level: values: Prisma (low, medium, high), SQL (low, high)'],
      removed: [],
    });
  });
});
