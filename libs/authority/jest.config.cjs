module.exports = { ...require('../../jest.preset.cjs'), displayName: 'authority', rootDir: __dirname };
