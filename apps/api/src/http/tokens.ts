/** Nest injection token of the wired platform (database, signer, repository, clock). */
export const PLATFORM = Symbol('PLATFORM');

/** Nest injection token of the sign-in AttemptLimiter (per client address). */
export const SIGN_IN_LIMITER = Symbol('SIGN_IN_LIMITER');

/** Nest injection token of the QueueInspector (null when the instance has no Redis configured). */
export const QUEUE_INSPECTOR = Symbol('QUEUE_INSPECTOR');

/** Nest injection token of the TestKitPublication the /pki handler serves communities' test kits from (null when none). */
export const TEST_KITS = Symbol('TEST_KITS');
