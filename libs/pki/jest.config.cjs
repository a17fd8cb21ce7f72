module.exports = { ...require('../../jest.preset.cjs'), displayName: 'pki', rootDir: __dirname };
