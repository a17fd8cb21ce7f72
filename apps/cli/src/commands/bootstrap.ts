import type { Command } from 'commander';
import { bootstrap, colonHex } from '../bootstrap';
import type { CommandDeps } from './context';

/** `bootstrap`: trust a community's root certificate and save the CLI's config.json. */
export function registerBootstrapCommand(program: Command, { ctx, defaults }: CommandDeps): void {
  program
    .command('bootstrap')
    .description("trust a community's root certificate, as `step ca bootstrap` does: fetch it from the public repository (/pki), check its SHA-256 fingerprint, save it and the CLI's config.json")
    .requiredOption('--community <id>', 'community id')
    .requiredOption('--fingerprint <sha256>', "the root certificate's SHA-256 fingerprint, from the community's operator (64 hex digits, colons allowed)")
    .option('--pki-url <url>', 'base URL of the public repository (default: the API URL)')
    .option('--force', 'overwrite an existing config.json')
    .action(async (o: { community: string; fingerprint: string; pkiUrl?: string; force?: boolean }) => {
      const { print } = ctx();
      const apiUrl = program.opts<{ apiUrl: string }>().apiUrl.replace(/\/+$/, '');
      const b = await bootstrap({ pkiUrl: (o.pkiUrl ?? apiUrl).replace(/\/+$/, ''), apiUrl, communityId: o.community, fingerprint: o.fingerprint, configDir: defaults.configDir, force: !!o.force });
      print(
        [
          `root certificate of ${b.communityName} (${b.communityUri}) trusted: ${b.subject}, valid until ${b.notAfter}`,
          `  SHA-256 ${colonHex(b.fingerprint)}`,
          `  saved in ${b.rootCertificate}`,
          `  CLI configuration saved in ${b.config}`,
        ].join('\n'),
        b,
      );
    });
}
