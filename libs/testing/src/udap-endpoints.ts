// Member FHIR servers for conformance tests and benchmarks: a real HTTPS server on loopback with a
// certificate of its own (127.0.0.1 and localhost; the platform under test trusts it through the
// outbound guard's tlsCa), and UDAP metadata signed the way a member server signs it.
import { createPrivateKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CompactSign } from 'jose';
import { openssl } from './openssl';

/** A TLS key and self-signed certificate (PEM) for 127.0.0.1, ::1 and localhost. */
export interface LoopbackTls {
  keyPem: string;
  certPem: string;
}

/** Makes a loopback server certificate with OpenSSL in `dir`. */
export function loopbackTls(dir: string): LoopbackTls {
  const keyPath = join(dir, `tls-key-${randomUUID()}.pem`);
  const certPath = join(dir, `tls-cert-${randomUUID()}.pem`);
  const r = openssl([
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost', '-keyout', keyPath, '-out', certPath,
  ]);
  if (r.status !== 0) throw new Error(`openssl req -x509 failed: ${r.stderr}`);
  return { keyPem: readFileSync(keyPath, 'utf8'), certPem: readFileSync(certPath, 'utf8') };
}

/** A running loopback HTTPS server. */
export interface LoopbackHttps {
  server: Server;
  port: number;
  /** `https://127.0.0.1:<port><path>`. */
  url(path: string): string;
  close(): Promise<void>;
}

/** Starts an HTTPS server on 127.0.0.1 (a free port) answering with `handler`. */
export async function startLoopbackHttps(tls: LoopbackTls, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LoopbackHttps> {
  const server = createServer({ key: tls.keyPem, cert: tls.certPem, keepAlive: false }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    server, port, url: (path) => `https://127.0.0.1:${port}${path}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What signs a member server's metadata: its key (PEM) and its certificate chain (DER, leaf first). */
export interface MetadataSigner {
  keyPem: string;
  x5c: Uint8Array[];
}

/** A signed_metadata JWT (RS256) for `baseUrl`; `claims` overrides or adds claims (undefined removes one). */
export async function signedMetadataJwt(baseUrl: string, signer: MetadataSigner, claims: Record<string, unknown> = {}): Promise<string> {
  const iat = Math.floor(Date.now() / 1000) - 60;
  const all: Record<string, unknown> = {
    iss: baseUrl, sub: baseUrl, iat, exp: iat + 30 * 86400, jti: randomUUID(),
    authorization_endpoint: `${baseUrl}/authorize`, token_endpoint: `${baseUrl}/token`, registration_endpoint: `${baseUrl}/register`, ...claims,
  };
  for (const k of Object.keys(all)) if (all[k] === undefined) delete all[k];
  return new CompactSign(new TextEncoder().encode(JSON.stringify(all)))
    .setProtectedHeader({ alg: 'RS256', x5c: signer.x5c.map((d) => Buffer.from(d).toString('base64')) })
    .sign(createPrivateKey(signer.keyPem));
}

/** The unsigned UDAP metadata of STU2 §2.2 for `baseUrl` around `signedMetadata`; `fields` overrides (undefined removes one). */
export function udapMetadata(baseUrl: string, signedMetadata: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const all: Record<string, unknown> = {
    udap_versions_supported: ['1'],
    udap_profiles_supported: ['udap_dcr', 'udap_authn', 'udap_authz'],
    udap_authorization_extensions_supported: ['hl7-b2b'],
    udap_authorization_extensions_required: ['hl7-b2b'],
    udap_certifications_supported: [],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    scopes_supported: ['openid', 'system/*.read'],
    authorization_endpoint: `${baseUrl}/authorize`,
    token_endpoint: `${baseUrl}/token`,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'ES384'],
    registration_endpoint: `${baseUrl}/register`,
    registration_endpoint_jwt_signing_alg_values_supported: ['RS256', 'ES384'],
    signed_metadata: signedMetadata,
    ...fields,
  };
  for (const k of Object.keys(all)) if (all[k] === undefined) delete all[k];
  return all;
}
