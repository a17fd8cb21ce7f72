// Drops the run's database unless ANCHORAGE_KEEP_TEST_DB is set (for post-mortems).
module.exports = async function globalTeardown() {
  require('./jest-softhsm.cjs').cleanupSoftHsm();
  const name = process.env.ANCHORAGE_TEST_DB_OWNER;
  if (!name || process.env.ANCHORAGE_KEEP_TEST_DB) return;
  delete process.env.ANCHORAGE_TEST_DB_OWNER;
  const { dropDatabase } = require('../libs/db/src/index.ts');
  const admin = process.env.ANCHORAGE_TEST_ADMIN_URL || 'postgresql://postgres@localhost:5432/postgres';
  await dropDatabase(admin, name);
};
