/** One Jest run over every project, so `npm test` shares a single worker pool. */
module.exports = {
  // global options are not read from project configs in multi-project mode
  testTimeout: 60000,
  projects: [
    '<rootDir>/libs/*/jest.config.cjs',
    '<rootDir>/apps/api/jest.config.cjs',
    '<rootDir>/apps/worker/jest.config.cjs',
    '<rootDir>/apps/signer/jest.config.cjs',
    '<rootDir>/apps/cli/jest.config.cjs',
    '<rootDir>/apps/console/jest.config.cjs',
    '<rootDir>/apps/console/jest.unit.config.cjs',
  ],
};
