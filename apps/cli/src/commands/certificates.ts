import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { LEAF_PROFILES } from '@anchorage/contracts';
import type { CertificateView, CrlView } from '@anchorage/contracts';
import { readPasswordFile, SecretFile } from '../files';
import type { CommandDeps } from './context';

/** `cert issue`, `cert revoke` and `cert show`. */
export function registerCertificateCommands(program: Command, { ctx, io, json }: CommandDeps): void {
  const cert = program.command('cert').description('leaf certificates');
  cert
    .command('issue')
    .requiredOption('--org <id>', 'organization id')
    .addOption(new Option('--profile <profile>', 'certificate profile').choices([...LEAF_PROFILES]).makeOptionMandatory())
    .option('--csr <file>', 'PKCS#10 CSR file (PEM or DER)')
    .option('--generate-key', 'let the platform generate the key (where the community allows it) and deliver it in a PKCS#12')
    .addOption(new Option('--key-type <type>', 'with --generate-key: key type (default RSA-2048)').choices(['RSA-2048', 'RSA-3072', 'RSA-4096', 'EC-P256', 'EC-P384']))
    .option('--p12-out <file>', 'with --generate-key: where to write the PKCS#12 (created with mode 0600; never overwritten)')
    .option('--p12-password-file <file>', 'with --generate-key: file whose first line is the PKCS#12 password (12 characters or more)')
    .option('--san <uri...>', 'SAN URIs (default: those in the CSR; required with --generate-key)')
    .option('--validity-days <days>', 'requested validity', (v) => Number(v))
    .option('--request-id <id>', 'idempotency key: repeating the command returns the same certificate')
    .action(async (o) => {
      const { api, print } = ctx();
      const usage = (msg: string) => program.error(`error: ${msg}`, { exitCode: 2 });
      if (!o.csr === !o.generateKey) usage('give either --csr FILE or --generate-key');
      const common = { organizationId: o.org, profile: o.profile, sanUris: o.san, validityDays: o.validityDays, requestId: o.requestId };
      if (o.csr) {
        if (o.keyType || o.p12Out || o.p12PasswordFile) usage('--key-type, --p12-out and --p12-password-file go with --generate-key');
        const raw = readFileSync(o.csr);
        const isPem = raw.subarray(0, 64).toString('latin1').includes('-----BEGIN');
        const c = await api.request<CertificateView>('POST', '/api/v1/certificates', {
          ...common, ...(isPem ? { csr: raw.toString('utf8') } : { csrDerBase64: raw.toString('base64') }),
        });
        print(describeCert(c) + `\n${c.chainPem}`, c);
        return;
      }
      if (!o.p12Out || !o.p12PasswordFile) usage('--generate-key needs --p12-out FILE and --p12-password-file FILE');
      if (!o.san?.length) usage('--generate-key needs --san URI (there is no CSR to take it from)');
      const pkcs12Password = readPasswordFile(o.p12PasswordFile);
      const out = new SecretFile(o.p12Out);
      let c: CertificateView;
      try {
        c = await api.request<CertificateView>('POST', '/api/v1/certificates', { ...common, generateKey: { keyType: o.keyType, pkcs12Password } });
      } catch (err) {
        out.discard();
        throw err;
      }
      const { pkcs12Base64, ...view } = c;
      if (!pkcs12Base64) {
        out.discard();
        // with --json, the problem document alone (it names the certificate)
        if (!json) io.out(describeCert(c));
        throw new Error(`no PKCS#12 for certificate ${c.id}: ${c.pkcs12Unavailable ?? 'the API returned none'} (this request id was used before); issue a new certificate to get a key`);
      }
      out.write(Buffer.from(pkcs12Base64, 'base64'));
      print(`${describeCert(c)}\n  PKCS#12  ${o.p12Out} (key, certificate and issuing CA; mode 0600)\n${c.chainPem}`, { ...view, pkcs12File: o.p12Out });
    });
  cert
    .command('revoke')
    .requiredOption('--ca <id>', 'issuing CA id')
    .requiredOption('--serial <hex>', 'certificate serial (hex)')
    .requiredOption('--reason <reason>', 'RFC 5280 reason name, e.g. keyCompromise, certificateHold')
    .option('--invalidity-date <iso>', 'when the key was compromised (ISO 8601)')
    .action(async (o) => {
      const { api, print } = ctx();
      const r = await api.request<{ certificate: CertificateView; crl: CrlView }>(
        'POST', `/api/v1/cas/${encodeURIComponent(o.ca)}/certificates/${encodeURIComponent(o.serial.replace(/:/g, '').toLowerCase())}/revoke`,
        { reason: o.reason, invalidityDate: o.invalidityDate },
      );
      print(`revoked ${r.certificate.serial} (${r.certificate.revocationReason}); published in CRL #${r.crl.crlNumber} at ${r.crl.url}`, r);
    });
  cert
    .command('show')
    .argument('<id>', 'certificate id')
    .action(async (id: string) => {
      const { api, print } = ctx();
      const c = await api.request<CertificateView>('GET', `/api/v1/certificates/${encodeURIComponent(id)}`);
      print(describeCert(c) + `\n${c.pem}`, c);
    });
}

function describeCert(c: CertificateView): string {
  return [
    `certificate ${c.id}`,
    `  serial   ${c.serial}`,
    `  status   ${c.status}${c.revocationReason ? ` (${c.revocationReason})` : ''}`,
    `  profile  ${c.profile}`,
    `  subject  ${c.subject}`,
    `  SAN      ${c.sanUris.join(', ')}`,
    `  valid    ${c.notBefore} .. ${c.notAfter}`,
    `  CRL      ${c.crlUrl}`,
    `  CA cert  ${c.caIssuersUrl}`,
  ].join('\n');
}
