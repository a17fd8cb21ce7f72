// Pre-signing lint of TBS certificates against the UDAP community profiles ("prepare, lint, then sign").
import { PkiError } from './errors';
import { parseTbsForLint } from './lint-model';
import { LINT_RULES, type LintContext, type LintKind } from './lint-rules';

/**
 * Lints a TBSCertificate for `kind` ('root' | 'issuing' | a leaf profile) by reading it back with the
 * strict DER reader (shares no code with the encoders) and applying LINT_RULES. Returns human-readable problems ("rule-id: message"); empty = clean.
 */
export function lintTbsCertificate(tbsDer: Uint8Array, kind: LintKind, ctx: LintContext = {}): string[] {
  let tbs;
  try {
    tbs = parseTbsForLint(tbsDer);
  } catch (e) {
    return [`parse: TBSCertificate does not parse: ${(e as Error).message}`];
  }
  return LINT_RULES.flatMap((r) => {
    try {
      return r.check(tbs, kind, ctx);
    } catch (e) {
      return [`${r.id}: could not be checked: ${(e as Error).message}`];
    }
  });
}

/** Lints and throws PkiError 'lint-failed' (details: { problems }) unless the TBS is clean. */
export function assertLintClean(tbsDer: Uint8Array, kind: LintKind, ctx: LintContext = {}): void {
  const problems = lintTbsCertificate(tbsDer, kind, ctx);
  if (problems.length > 0) {
    throw new PkiError('lint-failed', `certificate failed the profile lint: ${problems.join('; ')}`, { problems });
  }
}
