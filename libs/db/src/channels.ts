/** NOTIFY channel on which a committed CRL announces `<caId>:<crlNumber>`. */
export const CRL_PUBLISHED_CHANNEL = 'anchorage_crl_published';

/** NOTIFY channel on which every INSERT into the outbox announces itself (a trigger; payload empty). */
export const OUTBOX_CHANNEL = 'anchorage_outbox';

/** NOTIFY channel on which a committed audit checkpoint announces its sequence number (a trigger). */
export const AUDIT_CHECKPOINT_CHANNEL = 'anchorage_audit_checkpoint';

/** NOTIFY channel on which a process announces that a community's published documents changed (payload: its id). */
export const COMMUNITY_CHANGED_CHANNEL = 'anchorage_community_changed';

/** NOTIFY channel on which a revoked, re-dated or deleted API token announces its id (a trigger; empty after a TRUNCATE). */
export const API_TOKEN_CHANGED_CHANNEL = 'anchorage_api_token_changed';
