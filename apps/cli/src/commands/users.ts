import { type Command, Option } from 'commander';
import type { CreatedUserView } from '@anchorage/contracts';
import { readPasswordFile } from '../files';
import type { CommandDeps } from './context';

/** `user create`. */
export function registerUserCommands(program: Command, { ctx }: CommandDeps): void {
  program
    .command('user')
    .description('people who sign in to the console')
    .command('create')
    .requiredOption('--email <address>', 'e-mail address (the sign-in name)')
    .requiredOption('--name <name>', 'display name')
    .addOption(new Option('--role <role>', 'role').choices(['operator', 'auditor', 'member-admin']).makeOptionMandatory())
    .requiredOption('--password-file <file>', 'file holding the initial password (at least 12 characters)')
    .option('--org <id>', 'organization of a member admin')
    .option('--communities <ids>', "communities an operator runs: 'all' or comma-separated ids")
    .action(async (o) => {
      const { api, print } = ctx();
      const communities = o.communities === undefined ? undefined : o.communities === 'all' ? 'all' : String(o.communities).split(',').filter(Boolean);
      const u = await api.request<CreatedUserView>('POST', '/api/v1/users', {
        email: o.email, displayName: o.name, role: o.role, password: readPasswordFile(o.passwordFile), organizationId: o.org, communities,
      });
      const totp = u.totpEnrollment
        ? `\nTOTP secret (give it to ${u.email} for an authenticator app; not shown again):\n  ${u.totpEnrollment.secret}\n  ${u.totpEnrollment.otpauthUri}`
          + `\nRecovery codes (each signs in once in place of a code; not shown again):\n  ${u.totpEnrollment.recoveryCodes.join('\n  ')}`
        : '';
      print(`user ${u.id} ${u.email} (${u.role})${totp}`, u);
    });
}
