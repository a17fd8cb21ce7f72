// The shared global teardown, then removal of the test SoftHSM2 token.
const preset = require('../../jest.preset.cjs');
const { cleanupSoftHsm } = require('./jest.softhsm.cjs');

module.exports = async function signerGlobalTeardown(globalConfig, projectConfig) {
  try {
    await require(preset.globalTeardown)(globalConfig, projectConfig);
  } finally {
    cleanupSoftHsm();
  }
};
