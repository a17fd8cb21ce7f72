/** Nest injection token of the wired platform (database, signer, repository, clock). */
export const PLATFORM = Symbol('PLATFORM');
