import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CommandDeps } from './context';

/** `audit verify`: exits 1 (through {@link VerifyFailed}) when the chain is broken. */
export function registerAuditCommands(program: Command, { ctx }: CommandDeps): void {
  program
    .command('audit')
    .description('audit log')
    .command('verify')
    .description('recompute the hash chain and check it against the signed checkpoints (stored, published, and --checkpoint)')
    .option('--checkpoint <file>', 'a checkpoint you kept (audit/checkpoint.jws from the publish directory or /pki/audit/checkpoint.jws): the log must still hold the event it names')
    .action(async (o: { checkpoint?: string }) => {
      const { api, print } = ctx();
      const query = o.checkpoint === undefined ? '' : `?checkpoint=${encodeURIComponent(readFileSync(o.checkpoint, 'ascii').trim())}`;
      const v = await api.request<AuditVerificationView>('GET', `/api/v1/audit/verify${query}`);
      print(describeVerification(v), v);
      if (!v.ok) throw new VerifyFailed();
    });
}

/** Thrown by `audit verify` once it printed a broken chain: runCli exits 1 without printing more. */
export class VerifyFailed extends Error {}

/** What GET /api/v1/audit/verify answers (authority AuditVerification). */
interface AuditVerificationView {
  ok: boolean;
  checked: number;
  problem?: { seq: string | null; code?: string; message: string };
  checkpoints?: { source: string; seq: string; count: string; signedAt: string }[];
}

function describeVerification(v: AuditVerificationView): string {
  const p = v.problem;
  if (!v.ok) return `audit chain BROKEN${p?.code ? ` (${p.code})` : ''}${p?.seq ? ` at event ${p.seq}` : ''}: ${p?.message ?? 'no reason given'}`;
  const anchors = v.checkpoints ?? [];
  if (anchors.length === 0) return `audit chain intact: ${v.checked} events; no signed checkpoint to check against, so deleted newest events would go unnoticed`;
  return [`audit chain intact: ${v.checked} events; it holds every checkpoint checked:`, ...anchors.map((c) => `  ${c.source} checkpoint of event ${c.seq} (${c.count} events), signed ${c.signedAt}`)].join('\n');
}
