// The constants the operator CLI reads, in modules that load no zod (the CLI bundle resolves
// @anchorage/contracts to this file for its own modules: scripts/build-cli.cjs).
export * from './profiles';

/** Names of the built-in certification templates (certifications.ts holds their terms). */
export const BUILT_IN_CERTIFICATION_TEMPLATE_NAMES = ['tefca-basic-app'] as const;
