// Runs the TypeScript sources directly (decorator metadata and @anchorage/* paths included).
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || require('node:path').join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
