// Lint rules that keep the CA split by role (see ARCHITECTURE.md).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const dep = (sourceTag, onlyDependOnLibsWithTags) => ({ sourceTag, onlyDependOnLibsWithTags });

// Who may import whom (architecture guide). libs/testing holds hand-written fakes and helpers
// for tests only, so test files may also import it; it imports nothing but contracts.
const layers = [
  dep('layer:contracts', []),
  dep('layer:config', ['layer:contracts']),
  dep('layer:pki', ['layer:contracts']),
  dep('layer:signer', ['layer:pki', 'layer:contracts']),
  dep('layer:db', ['layer:contracts']),
  dep('layer:jobs', ['layer:contracts']),
  dep('layer:mail', ['layer:contracts']),
  dep('layer:udap', ['layer:pki', 'layer:contracts']),
  dep('layer:authority', ['layer:udap', 'layer:pki', 'layer:signer', 'layer:db', 'layer:jobs', 'layer:mail', 'layer:contracts']),
  dep('layer:testing', ['layer:contracts']),
  dep('type:app', ['layer:authority', 'layer:db', 'layer:jobs', 'layer:mail', 'layer:config', 'layer:contracts', 'layer:pki', 'layer:udap']),
  dep('type:console', ['layer:contracts']),
  // the signer process holds the keys and nothing else: no database, no authority, no queues
  dep('type:signer-app', ['layer:signer', 'layer:config', 'layer:pki', 'layer:contracts']),
];
const boundaries = (constraints) => [
  'error',
  { enforceBuildableLibDependency: false, allow: [], depConstraints: constraints },
];
const prismaImports = { group: ['@prisma/client', '@prisma/*', '**/generated/prisma*'], message: 'Only libs/db talks to Prisma.' };
// a lib's test helpers (e.g. @anchorage/pki/testing) are for specs and testing/ folders only
const testHelperImports = { group: ['@anchorage/*/testing'], message: 'Test helpers are for specs and testing/ folders only.' };
const testFiles = ['**/*.spec.ts', '**/*.integration-spec.ts', 'libs/*/src/testing/**/*.ts', 'apps/*/src/testing/**/*.ts', 'apps/console/e2e/**/*.ts'];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/generated/**', '**/*.cjs', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': boundaries(layers),
      'no-restricted-imports': ['error', { patterns: [prismaImports, testHelperImports] }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through @anchorage/config.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "Identifier[name='HttpException']", message: 'Throw a domain error; apps/api maps it to a problem document.' },
      ],
    },
  },
  { files: testFiles, rules: { 'no-restricted-imports': ['error', { patterns: [prismaImports] }] } },
  { files: ['libs/db/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['libs/config/**/*.ts', 'libs/testing/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', 'apps/console/e2e/**/*.ts', 'apps/console/vite.config.ts'], rules: { 'no-restricted-properties': 'off' } },
  { files: ['apps/api/**/*.ts'], rules: { 'no-restricted-syntax': 'off' } },
  {
    files: testFiles,
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-properties': 'off',
      '@nx/enforce-module-boundaries': boundaries(
        layers.map((c) => ({ ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'layer:testing', 'layer:config'] })),
      ),
    },
  },
];
