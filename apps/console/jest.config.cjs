// Browser tests of the built console: against a stand-in API (every screen and error path) and
// against the real API process (the operator's revoke reaches the published CRL).
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'console',
  rootDir: __dirname,
  testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
  globalSetup: require('node:path').join(__dirname, 'e2e/global-setup.cjs'),
};
