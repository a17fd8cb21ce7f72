import type { Command } from 'commander';
import type { CaCertificateInstallation } from '@anchorage/contracts';
import { readCertificatePem } from '../files';
import type { CommandDeps } from './context';

/** `ca install-cert`: the certificate an offline root signed. */
export function registerCaCommands(program: Command, { ctx }: CommandDeps): void {
  program
    .command('ca')
    .description('certificate authorities')
    .command('install-cert')
    .description('install the certificate an offline root signed for a CA awaiting one')
    .requiredOption('--ca <id>', 'id of the CA awaiting its certificate')
    .requiredOption('--cert <file>', 'the CA certificate the root signed (PEM or DER)')
    .requiredOption('--root <file>', "the offline root's self-signed certificate (PEM or DER)")
    .action(async (o) => {
      const { api, print } = ctx();
      const r = await api.request<CaCertificateInstallation>('POST', `/api/v1/cas/${encodeURIComponent(o.ca)}/certificate`, {
        certificatePem: readCertificatePem(o.cert), rootCertificatePem: readCertificatePem(o.root),
      });
      print(
        [
          `CA ${r.ca.id} is ${r.ca.status}: ${r.ca.subject}`,
          `  root ${r.root.id} (offline): ${r.root.subject}`,
          `  certificate ${r.ca.certificateUrl}`,
          `  CRL         ${r.ca.crlUrl}`,
          ...r.warnings.map((w) => `  warning: ${w}`),
        ].join('\n'),
        r,
      );
    });
}
