// The shared global setup (test database) plus a SoftHSM2 token for the PKCS#11 backend tests.
const preset = require('../../jest.preset.cjs');
const { prepareSoftHsm } = require('./jest.softhsm.cjs');

module.exports = async function signerGlobalSetup(globalConfig, projectConfig) {
  prepareSoftHsm();
  await require(preset.globalSetup)(globalConfig, projectConfig);
};
