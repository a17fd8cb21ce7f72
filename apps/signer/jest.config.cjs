module.exports = { ...require('../../jest.preset.cjs'), displayName: 'signer', rootDir: __dirname };
