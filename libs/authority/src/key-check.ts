// The start-up check of the keys: a wrong or missing key-encryption key, a wrong key directory or
// PKCS#11 token would otherwise show only when something is signed (an issuance failing after its
// intent is recorded) or a sealed secret is opened (a sign-in). Every process that signs or signs
// people in runs it before it serves, and refuses to start with every problem named.
import type { CaRecord } from '@anchorage/db';
import { readCertificateParts } from '@anchorage/pki';
import { SignerError } from '@anchorage/signer';
import type { AuthorityDeps, IdentityKeys } from './deps';
import { DomainError } from './errors';
import { isExternalCa } from './external-ca';
import { webhookSecretContext } from './notices/webhooks';
import { subscriptionSecretContext } from './revocation-notices/secrets';
import { publishesCrls } from './refresh-crls';
import { assertCaKeyOpens } from './sign';

/** Whether the platform may still sign with `ca`'s key: its CSR while it awaits a certificate, its CRLs while it publishes them. */
function signsStill(ca: CaRecord, now: Date): boolean {
  if (isExternalCa(ca)) return false; // an offline root: its operator holds the key
  return ca.status === 'awaiting-certificate' || publishesCrls(ca, now);
}

/** Why a platform certifier's key does not open or is not the one its certificate certifies; null when it is. */
async function certifierKeyProblem(deps: Pick<AuthorityDeps, 'signer'>, keyRef: string, certificateDer: Uint8Array): Promise<string | null> {
  let spki: Uint8Array;
  try {
    spki = await deps.signer.publicKey(keyRef);
  } catch (err) {
    if (!(err instanceof SignerError)) throw err;
    return `its key does not open: ${err.message}`;
  }
  if (!Buffer.from(spki).equals(Buffer.from(readCertificateParts(certificateDer).spkiDer))) {
    return `its key does not open: key ${keyRef} is not the one its udap-certifier certificate certifies (its public key differs)`;
  }
  return null;
}

/**
 * Refuses (DomainError 'signer-error', naming each CA and problem) unless the key of every CA and
 * platform certifier the platform may still sign with opens (software: its file decrypts under the key-encryption key;
 * PKCS#11: its objects are on the token) and is the CA's key, and unless the web key opens the
 * newest sealed TOTP, webhook and revocation subscription secrets (its subkeys are the ones they were sealed under).
 */
export async function assertKeysOpen(deps: Pick<AuthorityDeps, 'db' | 'signer' | 'identityKeys' | 'clock'>): Promise<void> {
  const now = deps.clock.now();
  const problems: string[] = [];
  for (const ca of (await deps.db.cas.list()).filter((c) => signsStill(c, now))) {
    try {
      await assertCaKeyOpens(deps, ca);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      problems.push(`CA ${ca.id} (${ca.status} ${ca.role} CA "${ca.subject}" of community ${ca.communityId}): ${err.message}`);
    }
  }
  // platform certifiers (docs/certifications.md): their keys are in the same backend, and a live
  // udap-certifier certificate says the platform may sign certifications with them
  for (const certifier of await deps.db.certifications.signingCertifiers(now)) {
    const problem = await certifierKeyProblem(deps, certifier.keyRef, certifier.certificateDer);
    if (problem) problems.push(`platform certifier ${certifier.id} (organization ${certifier.organizationId} of community ${certifier.communityId}): ${problem}`);
  }
  const { totp, webhook } = await deps.db.identity.newestSealedSecrets();
  const secrets: { what: string; open: (keys: IdentityKeys) => unknown }[] = [];
  if (totp) secrets.push({ what: `the TOTP secret of user ${totp.userId}`, open: (k) => k.totpBox.open(totp.sealed, totp.userId) });
  if (webhook) {
    secrets.push({
      what: `the webhook secret of organization ${webhook.organizationId}`, open: (k) => k.webhookBox.open(webhook.sealed, webhookSecretContext(webhook.organizationId)),
    });
  }
  const subscription = await deps.db.revocationSubscriptions.newestSealedSecret();
  if (subscription) {
    secrets.push({
      what: `the secret of revocation subscription ${subscription.subscriptionId}`,
      open: (k) => k.webhookBox.open(subscription.sealed, subscriptionSecretContext(subscription.subscriptionId)),
    });
  }
  for (const { what, open } of secrets) {
    if (!deps.identityKeys) {
      problems.push(`${what} is sealed under the web key, but none is configured (ANCHORAGE_WEB_KEY_FILE)`);
      continue;
    }
    try {
      open(deps.identityKeys);
    } catch (err) {
      if (!(err instanceof SignerError)) throw err;
      problems.push(`${what} does not open: the web key (ANCHORAGE_WEB_KEY_FILE, or the KEK for keys in process) is not the one it was sealed under`);
    }
  }
  if (problems.length) {
    throw new DomainError('signer-error', `refusing to start: keys do not open (check the signer's ANCHORAGE_KEK_FILE, ANCHORAGE_KEY_DIR and PKCS#11 token, and ANCHORAGE_WEB_KEY_FILE):\n${problems.map((p) => `  - ${p}`).join('\n')}`, { problems });
  }
}
