import type { Command } from 'commander';
import type { CrlView } from '@anchorage/contracts';
import type { CommandDeps } from './context';

/** `crl generate`. */
export function registerCrlCommands(program: Command, { ctx }: CommandDeps): void {
  program
    .command('crl')
    .description('certificate revocation lists')
    .command('generate')
    .requiredOption('--ca <id>', 'CA id')
    .action(async (o) => {
      const { api, print } = ctx();
      const crl = await api.request<CrlView>('POST', `/api/v1/cas/${encodeURIComponent(o.ca)}/crl`);
      print(`CRL #${crl.crlNumber} of CA ${crl.caId}: ${crl.entryCount} entries, next update ${crl.nextUpdate}\n  ${crl.url}`, crl);
    });
}
