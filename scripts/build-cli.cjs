#!/usr/bin/env node
// Builds the operator CLI (apps/cli) into one CommonJS file, dist/cli/anchorage.cjs, run by plain
// `node` without the TypeScript register hook: what `npm run cli`, the package's `anchorage` bin, the
// demo and the CLI tests run. The @anchorage/* libraries are compiled in; packages from node_modules
// stay require()d at run time. What only `token create` needs (the database, Prisma, the authority's
// use cases) sits behind a dynamic import, which esbuild turns into a lazily evaluated module of the
// same file: an API-talking command never loads it.
//
const { join } = require('node:path');
const { chmodSync, statSync } = require('node:fs');

const root = join(__dirname, '..');
const esbuild = require('esbuild');
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
    plugins: [cliImports],
  });
  chmodSync(outfile, 0o755); // the package's `anchorage` bin
  return { outfile, ms: Date.now() - started, bytes: statSync(outfile).size };
}

/**
 * What the CLI's own modules (apps/cli/src) import of two libraries, resolved to the one file that
 * holds it: the constants of @anchorage/contracts (cli-constants.ts; its types are erased) and the CLI settings of
 * @anchorage/config. Their index modules would also load the contract's zod schemas and the
 * platform's settings parsers, and zod, at every start. A value imported from elsewhere in those
 * libraries fails the build ("No matching export"), so this cannot go wrong silently; the database
 * path (libs/authority) imports the libraries as usual.
 */
const CLI_IMPORTS = {
  '@anchorage/contracts': join(root, 'libs', 'contracts', 'src', 'cli-constants.ts'),
  '@anchorage/config': join(root, 'libs', 'config', 'src', 'cli-config.ts'),
};
const cliImports = {
  name: 'cli-imports',
  setup(b) {
    b.onResolve({ filter: /^@anchorage\/(contracts|config)$/ }, (args) =>
      /[\\/]apps[\\/]cli[\\/]src[\\/]/.test(args.importer) ? { path: CLI_IMPORTS[args.path] } : undefined);
  },
};

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
