module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'signer',
  rootDir: __dirname,
  // Wraps the shared setup to also create a SoftHSM2 token (see jest.softhsm.cjs for why it lives here).
  globalSetup: require('node:path').join(__dirname, 'jest.global-setup.cjs'),
  globalTeardown: require('node:path').join(__dirname, 'jest.global-teardown.cjs'),
};
