import { readFileSync, writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import type { CaView, CommunityView } from '@anchorage/contracts';
import { colonHex, pemFingerprint } from '../bootstrap';
import type { CommandDeps } from './context';

/** `community create` and `community purposes`. */
export function registerCommunityCommands(program: Command, { ctx, io }: CommandDeps): void {
  const community = program.command('community').description('trust communities');
  community
    .command('create')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--uri <uri>', 'canonical community URI, e.g. udap://example.org/')
    .addOption(new Option('--key <type>', 'CA key type').choices(['RSA-2048', 'RSA-3072', 'RSA-4096', 'EC-P256', 'EC-P384']).default('RSA-4096'))
    .option('--crl-lifetime-days <days>', 'CRL lifetime in days', (v) => Number(v))
    .option('--max-validity-days <days>', 'maximum leaf validity', (v) => Number(v))
    .option('--allow-generated-keys', 'let the platform generate member keys')
    .option('--require-endpoint-control', 'approve udap-server requests only once every SAN URI passed endpoint control')
    .option('--auto-approve-verified', 'approve requests at once when every SAN URI passed endpoint control')
    .option('--require-rsa-chain', 'allow only RSA CA keys, here and for an offline root, so RSA-only relying parties (node-forge) can verify the chains')
    .option('--offline-root', 'keep the root offline: create only the issuing CA and print its CSR for the root to sign')
    .option('--csr-out <file>', 'with --offline-root: write the CSR (PEM) to this file instead of printing it')
    .action(async (o) => {
      const { api, print } = ctx();
      if (o.csrOut && !o.offlineRoot) program.error('error: --csr-out needs --offline-root', { exitCode: 2 });
      const policy: Record<string, unknown> = {};
      if (o.crlLifetimeDays !== undefined) policy.crlLifetimeSeconds = Math.round(o.crlLifetimeDays * 86400);
      if (o.maxValidityDays !== undefined) policy.maxLeafValidityDays = o.maxValidityDays;
      if (o.allowGeneratedKeys) policy.allowGeneratedKeys = true;
      if (o.requireEndpointControl) policy.requireEndpointControl = true;
      if (o.autoApproveVerified) policy.autoApproveVerifiedRequests = true;
      if (o.requireRsaChain) policy.requireRsaChain = true;
      const c = await api.request<CommunityView & { cas: CaView[] }>('POST', '/api/v1/communities', {
        name: o.name, uri: o.uri, caKeyType: o.key, policy, ...(o.offlineRoot ? { offlineRoot: true } : {}),
      });
      // on stderr, so `--json` output stays one parseable object (which carries them as `warnings`)
      for (const w of c.warnings ?? []) io.err(`warning [${w.code}]: ${w.message}`);
      const fingerprint = (a: CaView) => {
        const fp = a.role === 'root' ? pemFingerprint(a.certificatePem) : null;
        return fp ? `\n    SHA-256     ${colonHex(fp)}` : '';
      };
      const lines = [`community ${c.id} (${c.uri})`, ...c.cas.map((a) => `  ${a.role} CA ${a.id} (${a.status})\n    certificate ${a.certificateUrl}${fingerprint(a)}\n    CRL         ${a.crlUrl}`)];
      const root = c.cas.find((a) => a.role === 'root' && a.certificatePem);
      if (root) lines.push(`relying parties and operators bootstrap with: anchorage bootstrap --community ${c.id} --fingerprint ${pemFingerprint(root.certificatePem)}`);
      const awaiting = c.cas.find((a) => a.status === 'awaiting-certificate' && a.csrPem);
      if (awaiting) {
        const next = `have the offline root sign it, then: ca install-cert --ca ${awaiting.id} --cert FILE --root FILE`;
        if (o.csrOut) {
          writeFileSync(o.csrOut, awaiting.csrPem!);
          lines.push(`CSR of the issuing CA written to ${o.csrOut}; ${next}`);
        } else {
          lines.push(`CSR of the issuing CA (${next}):`, awaiting.csrPem!.trimEnd());
        }
      }
      const rootCa = c.cas.find((a) => a.role === 'root');
      print(lines.join('\n'), { ...c, rootFingerprint: pemFingerprint(rootCa?.certificatePem) });
    });

  community
    .command('purposes')
    .description("show or set a community's exchange purposes (the fragments its client SAN URIs may carry)")
    .requiredOption('--community <id>', 'community id')
    .addOption(new Option('--preset <name>', 'set the catalog from a preset').choices(['tefca']))
    .option('--file <json>', 'set the whole catalog from a JSON file: [{ "code", "display", "active"? }]')
    .option('--retire <codes...>', 'retire these codes (kept listed, no longer issued)')
    .option('--restore <codes...>', 'make these retired codes active again')
    .action(async (o) => {
      const { api, print } = ctx();
      const path = `/api/v1/communities/${encodeURIComponent(o.community)}`;
      if ([o.preset, o.file, o.retire ?? o.restore].filter((x) => x !== undefined).length > 1) {
        program.error('error: give one of --preset, --file, or --retire/--restore', { exitCode: 2 });
      }
      let c = await api.request<CommunityView>('GET', path);
      let body: unknown = null;
      if (o.preset) body = { preset: o.preset };
      else if (o.file) body = { purposes: JSON.parse(readFileSync(o.file, 'utf8')) as unknown };
      else if (o.retire || o.restore) {
        const change = new Map<string, boolean>([...(o.retire ?? []).map((x: string) => [x, false] as const), ...(o.restore ?? []).map((x: string) => [x, true] as const)]);
        const unknown = [...change.keys()].filter((code) => !c.exchangePurposes.some((x) => x.code === code));
        if (unknown.length) throw new Error(`not in the catalog of ${c.name}: ${unknown.join(', ')}`);
        body = { purposes: c.exchangePurposes.map((x) => ({ ...x, active: change.get(x.code) ?? x.active })) };
      }
      if (body !== null) c = await api.request<CommunityView>('PUT', `${path}/exchange-purposes`, body);
      const lines = c.exchangePurposes.length === 0
        ? [`${c.name} has no catalog of exchange purposes: client SAN URIs may carry any fragment`]
        : c.exchangePurposes.map((x) => `#${x.code.padEnd(12)} ${x.active ? 'active ' : 'retired'}  ${x.display}`);
      print(lines.join('\n'), c.exchangePurposes);
    });
}
