// Shared Jest settings: SWC transpiles TypeScript (with decorator metadata for Nest),
// and @anchorage/* imports resolve to each lib's public index only.
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.tsx?$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^@anchorage/([a-z-]+)$': path.join(__dirname, 'libs/$1/src/index.ts'),
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.integration-spec.ts'],
  globalSetup: path.join(__dirname, 'scripts/jest-global-setup.cjs'),
  globalTeardown: path.join(__dirname, 'scripts/jest-global-teardown.cjs'),
  testTimeout: 60000,
};
