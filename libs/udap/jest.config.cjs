// Jest project of libs/udap. Its specs build test communities with libs/pki's test CA helpers,
// which libs/pki keeps out of its public index; `@anchorage/pki/testing` maps to them.
const path = require('node:path');
const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'udap',
  rootDir: __dirname,
  moduleNameMapper: {
    '^@anchorage/pki/testing$': path.join(__dirname, '../pki/src/testing/test-ca.ts'),
    ...preset.moduleNameMapper,
  },
};
