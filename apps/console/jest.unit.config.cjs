// Unit tests of the console's own TypeScript that runs without a browser (WebCrypto is Node's here).
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'console-unit',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
