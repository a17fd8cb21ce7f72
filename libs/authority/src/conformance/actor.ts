import type { Actor } from '../deps';

/** How the monitor's scheduled checks appear in the history and the audit log (the worker's own actor id). */
export const WORKER_SYSTEM_ACTOR: Actor = { id: 'worker', role: 'system' };
