// Example answers of the admin API, one realistic value per view, for the OpenAPI document. Typed by
// the views (so they compile only while they have the views' fields) and checked against the schemas
// at run time too (api-responses.spec.ts), so an example never shows a shape the API does not answer.
// The examples live under api-examples/, one file per resource; this module gathers them.
export * from './api-examples/communities';
export * from './api-examples/organizations';
export * from './api-examples/certificates';
export * from './api-examples/identity';
export * from './api-examples/operations';
export * from './api-examples/revocation-notices';
export * from './api-examples/audit';
export * from './api-examples/certifications';
export * from './api-examples/conformance';
export * from './api-examples/test-kits';
export * from './api-examples/reports';
export { exampleIds } from './api-examples/shared';
