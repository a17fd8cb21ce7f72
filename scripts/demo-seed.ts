// Prepares the demo: data directory, key-encryption key, database, a demo community with one
// organization, one issued and one revoked certificate, a certificate request waiting for approval,
// an operator API token, and one user of each role (operator and auditor with TOTP, member admin of the demo clinic) whose logins it keeps in
// <data dir>/demo-users.json for demo.sh to print.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createApiToken, createCommunity, createOrganization, createUser, issueCertificate, openPlatform, revokeCertificate, setExchangePurposes, submitCertificateRequest, type Platform,
} from '@anchorage/authority';
import { loadConfig } from '@anchorage/config';
import { ensureDatabase, migrateDatabase } from '@anchorage/db';
import { createKekFile } from '@anchorage/signer';

const COMMUNITY_URI = 'udap://demo.anchorage.test/';
const SERVER_SAN = 'https://fhir.demo-clinic.example/r4';
const CLIENT_SAN = 'https://apps.demo-clinic.example/patient-portal';

function csr(dir: string, name: string, san: string): string {
  const key = join(dir, `${name}.key.pem`);
  const req = join(dir, `${name}.csr.pem`);
  if (!existsSync(req)) {
    execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', `/CN=${name}`, '-addext', `subjectAltName=URI:${san}`, '-out', req], { stdio: 'ignore' });
  }
  return readFileSync(req, 'utf8');
}

/** A demo login as demo.sh prints it. */
interface DemoLogin {
  role: string;
  email: string;
  password: string;
  totpSecret?: string;
  otpauthUri?: string;
}

/** One user per role, created once; their passwords are random and kept (mode 0600) for the demo only. */
async function seedUsers(p: Platform, file: string, organizationId: string): Promise<void> {
  if (existsSync(file)) return;
  const seeder = { id: 'demo-seed', role: 'operator' as const };
  const specs = [
    { role: 'operator' as const, email: 'operator@demo.anchorage.test', displayName: 'Demo Operator', communities: 'all' as const },
    { role: 'auditor' as const, email: 'auditor@demo.anchorage.test', displayName: 'Demo Auditor' },
    { role: 'member-admin' as const, email: 'admin@demo-clinic.example', displayName: 'Demo Clinic Admin', organizationId },
  ];
  const logins: DemoLogin[] = [];
  for (const spec of specs) {
    if (await p.db.identity.findUserByEmail(spec.email)) {
      // created by an earlier demo whose data directory is gone: its password cannot be shown again
      logins.push({ role: spec.role, email: spec.email, password: '(set by an earlier demo run; not known)' });
      continue;
    }
    const password = randomBytes(12).toString('base64url');
    const u = await createUser(p, { ...spec, password }, seeder);
    logins.push({
      role: spec.role, email: spec.email, password,
      ...(u.totpEnrollment ? { totpSecret: u.totpEnrollment.secret, otpauthUri: u.totpEnrollment.otpauthUri } : {}),
    });
  }
  writeFileSync(file, JSON.stringify(logins, null, 2), { mode: 0o600 });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const dataDir = process.env.ANCHORAGE_DATA_DIR ?? '.data';
  mkdirSync(join(dataDir, 'member-keys'), { recursive: true, mode: 0o700 });
  mkdirSync(config.keyDir, { recursive: true, mode: 0o700 });
  if (config.kekFile && !existsSync(config.kekFile)) await createKekFile(config.kekFile);
  await ensureDatabase(config.databaseUrl);
  const applied = await migrateDatabase(config.databaseUrl);
  if (applied.length) console.log(`migrated: ${applied.join(', ')}`);

  const p = await openPlatform(config);
  try {
    const operator = { id: 'demo-seed', role: 'operator' as const };
    const tokenFile = join(dataDir, 'operator-token');
    const existing = (await p.db.communities.list(0, 500)).items.find((c) => c.uri === COMMUNITY_URI);
    if (!existing) {
      console.log('seeding the demo community (RSA-4096 root and issuing CA keys take a few seconds)...');
      const c = await createCommunity(p, { name: 'Demo Health Network', uri: COMMUNITY_URI }, operator);
      await setExchangePurposes(p, c.community.id, { preset: 'tefca' }, operator);
      const org = await createOrganization(p, { communityId: c.community.id, name: 'Demo Clinic', sanUris: [SERVER_SAN, CLIENT_SAN] }, operator);
      const memberDir = join(dataDir, 'member-keys');
      await issueCertificate(p, { organizationId: org.id, profile: 'udap-server', csr: csr(memberDir, 'demo-server', SERVER_SAN), requestId: 'demo-server' }, operator);
      const client = await issueCertificate(p, { organizationId: org.id, profile: 'udap-client', csr: csr(memberDir, 'demo-client', CLIENT_SAN), requestId: 'demo-client' }, operator);
      await revokeCertificate(p, { certificate: { certificateId: client.certificate.id }, reason: 'superseded' }, operator);
    }
    if (!existsSync(tokenFile)) {
      const t = await createApiToken(p, 'demo operator', operator);
      writeFileSync(tokenFile, `${t.token}\n`, { mode: 0o600 });
    }
    const community = (await p.db.communities.list(0, 500)).items.find((c) => c.uri === COMMUNITY_URI)!;
    const clinic = (await p.db.organizations.list(community.id, 0, 1)).items[0];
    await seedUsers(p, join(dataDir, 'demo-users.json'), clinic.id);
    // a request from the clinic's admin waiting for the operator (the same one on every restart)
    const admin = await p.db.identity.findUserByEmail('admin@demo-clinic.example');
    if (admin) {
      const memberDir = join(dataDir, 'member-keys');
      await submitCertificateRequest(p, { organizationId: clinic.id, profile: 'udap-server', csr: csr(memberDir, 'demo-renewal', SERVER_SAN), requestId: 'demo-pending' }, {
        id: `user:${admin.email}:${admin.id}`, role: 'member-admin', userId: admin.id, organizationId: clinic.id,
      });
    }
    const cas = await p.db.cas.ofCommunity(community.id);
    const info = { communityId: community.id, rootCaId: cas.find((a) => a.role === 'root')!.id, issuingCaId: cas.find((a) => a.role === 'issuing')!.id };
    writeFileSync(join(dataDir, 'demo.json'), JSON.stringify(info, null, 2));
  } finally {
    await p.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
