import type { Command } from 'commander';
import type { CertificateRequestView, CertificateView } from '@anchorage/contracts';
import type { CommandDeps } from './context';

/** `request list`, `request approve` and `request reject`. */
export function registerRequestCommands(program: Command, { ctx }: CommandDeps): void {
  const request = program.command('request').description('certificate requests');
  request
    .command('list')
    .option('--status <status>', 'only requests in this state (submitted, approved, issued, rejected, cancelled)')
    .action(async (o) => {
      const { api, print } = ctx();
      const filter = o.status ? `&filter=${encodeURIComponent(JSON.stringify({ status: o.status }))}` : '';
      const list = await api.request<CertificateRequestView[]>('GET', `/api/v1/certificate-requests?range=${encodeURIComponent('[0,499]')}${filter}`);
      print(list.map((r) => `${r.id} ${r.status.padEnd(9)} ${r.profile} ${r.sanUris.join(', ')} (organization ${r.organizationId})`).join('\n') || 'no requests', list);
    });
  request
    .command('approve')
    .argument('<id>', 'request id')
    .action(async (id: string) => {
      const { api, print } = ctx();
      const out = await api.request<{ request: CertificateRequestView; certificate: CertificateView }>('POST', `/api/v1/certificate-requests/${id}/approve`);
      print(`request ${out.request.id} ${out.request.status}: certificate ${out.certificate.id} serial ${out.certificate.serial}`, out);
    });
  request
    .command('reject')
    .argument('<id>', 'request id')
    .requiredOption('--reason <text>', 'why, for the member')
    .action(async (id: string, o) => {
      const { api, print } = ctx();
      const out = await api.request<CertificateRequestView>('POST', `/api/v1/certificate-requests/${id}/reject`, { reason: o.reason });
      print(`request ${out.id} ${out.status}: ${out.reason}`, out);
    });
}
