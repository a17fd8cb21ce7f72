import type { RevocationReasonName } from '@anchorage/contracts';

/**
 * Reasons an operator may set (mirrors OPERATOR_REASONS in @anchorage/contracts, which the console may
 * only import as types). The API enforces the list; this only fills the select.
 */
export const OPERATOR_REASONS: readonly RevocationReasonName[] = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
];
