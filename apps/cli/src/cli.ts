import { Command, CommanderError } from 'commander';
import { ApiClient, ApiError, LocalProblem } from './api-client';
import { registerAuditCommands, VerifyFailed } from './commands/audit';
import { registerBootstrapCommand } from './commands/bootstrap';
import { registerCaCommands } from './commands/cas';
import { registerCertificateCommands } from './commands/certificates';
import { registerCertificationCommands } from './commands/certifications';
import { registerCommunityCommands } from './commands/communities';
import type { CliDefaults, CliIo, CommandDeps, LocalOps, Print } from './commands/context';
import { registerCrlCommands } from './commands/crls';
import { registerOrganizationCommands } from './commands/organizations';
import { registerRequestCommands } from './commands/requests';
import { registerTokenCommands } from './commands/tokens';
import { registerUserCommands } from './commands/users';
import { addListAndGet } from './resources';

export type { CliDefaults, CliIo, LocalOps } from './commands/context';

/** Builds and runs the operator CLI; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo, defaults: CliDefaults, local: () => Promise<LocalOps>): Promise<number> {
  // known before parsing, so a usage error is a problem document too
  const end = argv.indexOf('--');
  const json = (end < 0 ? argv : argv.slice(0, end)).includes('--json');
  let usageMessage = '';
  const program = new Command('anchorage')
    .description('Operator CLI of the Anchorage trust-community CA')
    .option('--api-url <url>', 'API base URL', defaults.apiUrl)
    .option('--token <token>', 'operator API token (or ANCHORAGE_API_TOKEN)')
    .option('--json', 'print JSON: the API\'s answer, or on failure a problem document (RFC 7807), on stdout')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => (json ? undefined : io.err(s.trimEnd())),
      outputError: (s, write) => {
        usageMessage = s.trim().replace(/^error: /, '');
        write(s);
      },
    });

  const ctx = () => {
    const o = program.opts<{ apiUrl: string; token?: string; json?: boolean }>();
    const api = new ApiClient(o.apiUrl.replace(/\/+$/, ''), o.token ?? defaults.apiToken);
    const print: Print = (human, json) => io.out(o.json ? JSON.stringify(json, null, 2) : human);
    return { api, print };
  };

  const deps: CommandDeps = { ctx, io, json, defaults, local };
  // in this order: it is the order of the commands in --help
  registerCommunityCommands(program, deps);
  registerCaCommands(program, deps);
  registerOrganizationCommands(program, deps);
  registerRequestCommands(program, deps);
  registerCertificateCommands(program, deps);
  registerCrlCommands(program, deps);
  registerAuditCommands(program, deps);
  registerUserCommands(program, deps);
  registerTokenCommands(program, deps);
  registerBootstrapCommand(program, deps);
  addListAndGet(program, ctx);
  registerCertificationCommands(program, deps);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) return 0;
    if (err instanceof VerifyFailed) return 1;
    const usage = err instanceof CommanderError || (err instanceof LocalProblem && err.kind === 'usage');
    if (json) io.out(JSON.stringify(problemDocument(err, usageMessage), null, 2));
    else if (!(err instanceof CommanderError)) io.err(`error: ${(err as Error).message}`);
    return usage ? 2 : 1;
  }
}

const LOCAL_TITLES: Record<LocalProblem['kind'], string> = {
  usage: 'Usage error',
  unreachable: 'API unreachable',
  'no-token': 'No API token',
  'fingerprint-mismatch': 'Fingerprint mismatch',
  'bad-response': 'Unexpected answer',
  error: 'Error',
};

/**
 * What `--json` prints for a failure: the API's problem document as it sent it, or one of the same
 * shape for a failure on this side (no `status`: no HTTP answer), typed https://anchorage.dev/problems/cli-<kind>.
 */
function problemDocument(err: unknown, usageMessage: string): Record<string, unknown> {
  if (err instanceof ApiError) return err.problem;
  const local = (kind: LocalProblem['kind'], detail: string) => ({ type: `https://anchorage.dev/problems/cli-${kind}`, title: LOCAL_TITLES[kind], detail });
  if (err instanceof CommanderError) {
    return local('usage', err.code === 'commander.help' || err.code === 'commander.helpDisplayed' ? 'a command is missing: see --help' : usageMessage || err.message.replace(/^error: /, ''));
  }
  if (err instanceof LocalProblem) return local(err.kind, err.message);
  return local('error', (err as Error).message);
}
