/** One Jest run over every project, so `npm test` shares a single worker pool. */
module.exports = {
  projects: [
    '<rootDir>/libs/*/jest.config.cjs',
    '<rootDir>/apps/api/jest.config.cjs',
    '<rootDir>/apps/worker/jest.config.cjs',
    '<rootDir>/apps/cli/jest.config.cjs',
  ],
};
