// Creates and migrates a database of its own for this test run, so runs never collide.
const { randomBytes } = require('node:crypto');

module.exports = async function globalSetup() {
  // a SoftHSM2 token for the PKCS#11 tests; set here, in Jest's parent process, because SoftHSM
  // reads SOFTHSM2_CONF from the real environment and workers inherit it (see jest-softhsm.cjs)
  require('./jest-softhsm.cjs').prepareSoftHsm();
  // the CLI as published (dist/cli/anchorage.cjs): the CLI specs and createTokenWithCli run it; built
  // once per run (every project's setup runs this, one after the other)
  if (!process.env.ANCHORAGE_TEST_CLI_BUILT) {
    await require('./build-cli.cjs').build();
    process.env.ANCHORAGE_TEST_CLI_BUILT = '1';
  }
  if (process.env.ANCHORAGE_TEST_DATABASE_URL) return;
  require('./register.cjs');
  const { createMigratedDatabase } = require('../libs/db/src/index.ts');
  const admin = process.env.ANCHORAGE_TEST_ADMIN_URL || 'postgresql://postgres@localhost:5432/postgres';
  const name = `anchorage_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const { url } = await createMigratedDatabase(admin, name);
  process.env.ANCHORAGE_TEST_DATABASE_URL = url;
  process.env.ANCHORAGE_TEST_DB_OWNER = name;
};
