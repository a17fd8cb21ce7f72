// The shared test setup (database, SoftHSM), then one console build for all browser test files,
// so parallel test files never run `vite build` into the same folder at once.
const { join } = require('node:path');
const preset = require('../../../jest.preset.cjs');

module.exports = async function consoleGlobalSetup(globalConfig, projectConfig) {
  await require(preset.globalSetup)(globalConfig, projectConfig);
  require(join(__dirname, '../../../scripts/register.cjs'));
  require('./build-console.ts').ensureConsoleBuilt();
};
