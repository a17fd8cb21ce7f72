// The operator's reasons come from the single revocation-reason enum of @anchorage/contracts
// (pure data, bundled into the console); the API enforces the list, this only fills the select.
export { OPERATOR_REASONS } from '@anchorage/contracts';
