#!/usr/bin/env node
// Builds the operator CLI (apps/cli) into one CommonJS file, dist/cli/anchorage.cjs, run by plain
// `node` without the TypeScript register hook: what `npm run cli`, the package's `anchorage` bin, the
// demo and the CLI tests run. The @anchorage/* libraries are compiled in; packages from node_modules
// stay require()d at run time. What only `token create` needs (the database, Prisma, the authority's
// use cases) sits behind a dynamic import, which esbuild turns into a lazily evaluated module of the
// same file: an API-talking command never loads it.
//
// esbuild is the bundler Vite (a devDependency) depends on; resolved through Vite so its copy is used.
const { join } = require('node:path');
const { chmodSync, statSync } = require('node:fs');

const root = join(__dirname, '..');
const esbuild = require(require.resolve('esbuild', { paths: [require.resolve('vite', { paths: [root] })] }));
const outfile = join(root, 'dist', 'cli', 'anchorage.cjs');

async function build() {
  const started = Date.now();
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['apps/cli/src/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // node_modules are required at run time, as the API and worker use them
    packages: 'external',
    tsconfig: join(root, 'tsconfig.base.json'),
    banner: { js: '#!/usr/bin/env node' },
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755); // the package's `anchorage` bin
  return { outfile, ms: Date.now() - started, bytes: statSync(outfile).size };
}

module.exports = { build, outfile };

if (require.main === module) {
  build().then(
    (r) => console.log(`built ${r.outfile.slice(root.length + 1)} (${Math.round(r.bytes / 1024)} KiB) in ${r.ms} ms`),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
