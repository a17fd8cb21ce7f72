import type { Command } from 'commander';
import type { ApiTokenView } from '@anchorage/contracts';
import type { CommandDeps } from './context';

/** `token create` (through the database), `token list` and `token revoke`. */
export function registerTokenCommands(program: Command, { ctx, local }: CommandDeps): void {
  const token = program.command('token').description('operator API tokens');
  token
    .command('create')
    .description('create a token (talks to the database directly: the bootstrap before any token exists)')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--expires-in-days <days>', 'the token stops working after this many days (default: never)', (v) => Number(v))
    .action(async (o) => {
      const { print } = ctx();
      const t = await (await local()).createToken(o.name, o.expiresInDays);
      const until = t.expiresAt ? `valid until ${t.expiresAt}` : 'no expiry: revoke it with `token revoke` when it is no longer needed';
      print(`token ${t.name} (${t.id}), ${until}:\n${t.token}\nStore it now: it is not shown again.`, t);
    });
  token
    .command('list')
    .description('list the tokens (never their secrets)')
    .action(async () => {
      const { api, print } = ctx();
      const list = await api.request<ApiTokenView[]>('GET', '/api/v1/api-tokens?range=[0,499]');
      const line = (t: ApiTokenView) => `${t.id}  ${t.status.padEnd(7)}  ${t.name}  (created ${t.createdAt}${t.expiresAt ? `, expires ${t.expiresAt}` : ''}, last used ${t.lastUsedAt ?? 'never'})`;
      print(list.length ? list.map(line).join('\n') : 'no API tokens', list);
    });
  token
    .command('revoke')
    .description('revoke a token: it stops working from the next request on')
    .argument('<id>', 'token id (see token list)')
    .action(async (id: string) => {
      const { api, print } = ctx();
      const t = await api.request<ApiTokenView>('POST', `/api/v1/api-tokens/${encodeURIComponent(id)}/revoke`);
      print(`token ${t.name} (${t.id}) revoked at ${t.revokedAt}`, t);
    });
}
