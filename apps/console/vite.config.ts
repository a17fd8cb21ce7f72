// Builds the operator console into apps/console/dist, which the API serves at `/`.
// The only server-side project the console may import is @anchorage/contracts (pure wire types and
// enums, no imports of its own); the lint layer rules forbid anything else.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));
const api = process.env.ANCHORAGE_API_URL ?? 'http://localhost:3000';

/** Vite configuration of the console (`vite build --config apps/console/vite.config.ts`). */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  resolve: { alias: { '@anchorage/contracts': join(root, '../../libs/contracts/src/index.ts') } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      output: {
        // Long-lived vendor chunks, so a console change does not bust the framework cache.
        manualChunks(id) {
          if (!id.includes('/node_modules/')) return undefined;
          if (/\/node_modules\/(react|react-dom|scheduler)\//.test(id)) return 'react';
          if (/\/node_modules\/@(mui|emotion)\//.test(id)) return 'mui';
          if (/\/node_modules\/(react-admin|ra-[a-z-]+)\//.test(id)) return 'admin';
          return 'vendor';
        },
      },
    },
  },
  // `vite --config apps/console/vite.config.ts` in development: the API and /pki come from a running API.
  server: { proxy: { '/api': api, '/pki': api } },
});
