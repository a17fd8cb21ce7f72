// Drops the run's database unless ANCHORAGE_KEEP_TEST_DB is set (for post-mortems).
module.exports = async function globalTeardown() {
  require('./jest-softhsm.cjs').cleanupSoftHsm();
  const name = process.env.ANCHORAGE_TEST_DB_OWNER;
  if (!name || process.env.ANCHORAGE_KEEP_TEST_DB) return;
  delete process.env.ANCHORAGE_TEST_DB_OWNER;
  const { dropDatabase } = require('../libs/db/src/index.ts');
  const { Client } = require('pg');
  const admin = process.env.ANCHORAGE_TEST_ADMIN_URL || 'postgresql://postgres@localhost:5432/postgres';
  // databases of their own that test files made next to it (`<name>_<suffix>`) and did not drop (a crash)
  const client = new Client({ connectionString: admin });
  await client.connect();
  const own = await client.query("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [`${name}_`]).finally(() => client.end());
  for (const { datname } of own.rows) await dropDatabase(admin, datname);
  await dropDatabase(admin, name);
};
