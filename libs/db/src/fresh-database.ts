import { createDatabase, dropDatabase } from './admin';
import { migrateDatabase } from './migrate';

/** A newly created, migrated database and the way to drop it. */
export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates and migrates a database named `name` on the server of `siblingUrl` (any database URL on
 * that server): what test runs and tests that need a database to themselves use.
 */
export async function createMigratedDatabase(siblingUrl: string, name: string): Promise<FreshDatabase> {
  const admin = new URL(siblingUrl);
  admin.pathname = '/postgres';
  const url = await createDatabase(admin.toString(), name);
  await migrateDatabase(url);
  return { url, drop: () => dropDatabase(admin.toString(), name) };
}
