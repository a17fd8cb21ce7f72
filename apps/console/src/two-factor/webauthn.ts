// The browser's side of the passkey ceremonies: the API's options (binary values base64url) to
// navigator.credentials, and the credential's answer back as base64url for the API.
import type { PasskeyOptionsView } from '@anchorage/contracts';

const fromB64url = (s: string): ArrayBuffer => {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(s.length / 4) * 4, '='));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
};
const toB64url = (b: ArrayBuffer): string => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Whether this browser can use passkeys at all. */
export const passkeysSupported = (): boolean => typeof window !== 'undefined' && 'PublicKeyCredential' in window && !!navigator.credentials;

const explain = (err: unknown): Error => {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError') return new Error('The passkey was not used: the request was cancelled or timed out');
  if (name === 'InvalidStateError') return new Error('This passkey is registered already');
  return err instanceof Error ? err : new Error(String(err));
};

/** Creates a passkey for the registration options; the answer for POST /auth/passkeys. */
export async function createPasskey(o: PasskeyOptionsView): Promise<{ clientDataJSON: string; attestationObject: string }> {
  const pk = o.publicKey;
  let cred: Credential | null;
  try {
    cred = await navigator.credentials.create({
      publicKey: {
        challenge: fromB64url(pk.challenge),
        rp: pk.rp!,
        user: { ...pk.user!, id: fromB64url(pk.user!.id) },
        pubKeyCredParams: pk.pubKeyCredParams!,
        attestation: 'none',
        authenticatorSelection: pk.authenticatorSelection,
        excludeCredentials: (pk.excludeCredentials ?? []).map((c) => ({ type: c.type, id: fromB64url(c.id) })),
        timeout: pk.timeout,
      },
    });
  } catch (err) {
    throw explain(err);
  }
  const r = (cred as PublicKeyCredential).response as AuthenticatorAttestationResponse;
  return { clientDataJSON: toB64url(r.clientDataJSON), attestationObject: toB64url(r.attestationObject) };
}

/** Answers a sign-in challenge with a passkey of this site; what /auth/login takes as `passkey`. */
export async function usePasskey(o: PasskeyOptionsView) {
  let cred: Credential | null;
  try {
    cred = await navigator.credentials.get({
      publicKey: { challenge: fromB64url(o.publicKey.challenge), rpId: o.publicKey.rpId, userVerification: o.publicKey.userVerification, timeout: o.publicKey.timeout },
    });
  } catch (err) {
    throw explain(err);
  }
  const c = cred as PublicKeyCredential;
  const r = c.response as AuthenticatorAssertionResponse;
  return {
    challengeId: o.challengeId, credentialId: toB64url(c.rawId), clientDataJSON: toB64url(r.clientDataJSON),
    authenticatorData: toB64url(r.authenticatorData), signature: toB64url(r.signature),
  };
}
