// Prisma CLI configuration. The client is generated from prisma/schema.prisma; migrations are the
// SQL files in prisma/migrations, applied by libs/db's migrator (same folder layout and
// _prisma_migrations bookkeeping as `prisma migrate deploy`).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
