/** URL of the database the Jest global setup created and migrated for this run. */
export function testDatabaseUrl(): string {
  const url = process.env.ANCHORAGE_TEST_DATABASE_URL;
  if (!url) throw new Error('ANCHORAGE_TEST_DATABASE_URL is not set: run tests through `npm test` / jest with the global setup');
  return url;
}

/** A Redis URL for tests (a DB number of its own keeps runs apart). */
export function testRedisUrl(): string {
  return process.env.ANCHORAGE_TEST_REDIS_URL ?? 'redis://localhost:6379/0';
}
