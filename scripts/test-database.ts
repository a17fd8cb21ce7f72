// Creates or drops a migrated database next to the test run's database, for libs/testing's
// isolatedPlatformOptions (libs/testing imports no storage code, so it runs this instead):
//   node -r ./scripts/register.cjs scripts/test-database.ts create <url of any database on the server> <name>
//   node -r ./scripts/register.cjs scripts/test-database.ts drop <url of any database on the server> <name>
// `create` prints the new database's URL.
import { createMigratedDatabase, dropDatabase } from '@anchorage/db';

async function main(): Promise<void> {
  const [command, siblingUrl, name] = process.argv.slice(2);
  if (!siblingUrl || !name || (command !== 'create' && command !== 'drop')) {
    throw new Error('usage: test-database.ts create|drop <url of a database on the server> <name>');
  }
  if (command === 'create') {
    process.stdout.write(`${(await createMigratedDatabase(siblingUrl, name)).url}\n`);
    return;
  }
  const admin = new URL(siblingUrl);
  admin.pathname = '/postgres';
  await dropDatabase(admin.toString(), name);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
