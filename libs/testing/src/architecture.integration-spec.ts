import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/** Lints `code` as if it were the file at `path` and returns ESLint's JSON messages. */
function lintAs(path: string, code: string): { ruleId: string | null; message: string }[] {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '--stdin', '--stdin-filename', path], {
    cwd: root, input: code, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (!r.stdout) throw new Error(`eslint failed: ${r.stderr}`);
  return JSON.parse(r.stdout)[0].messages;
}

// The layer rules of ARCHITECTURE.md are enforced by lint: these prove the rules bite.
describe('architecture rules enforced by lint', () => {
  beforeAll(() => {
    // the boundary rule reads Nx's project graph; build it as `npm test` does before linting
    const r = spawnSync(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], { cwd: root, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });
    expect(r.status).toBe(0);
  }, 120_000);

  it('refuses a lib importing against the direction', () => {
    const msgs = lintAs('libs/pki/src/bad.ts', "import { Database } from '@anchorage/db';\nexport const x = Database;\n");
    expect(msgs.map((m) => m.ruleId)).toContain('@nx/enforce-module-boundaries');
  });

  it('refuses Prisma outside libs/db, process.env outside libs/config, HttpException outside apps/api', () => {
    expect(lintAs('libs/authority/src/bad.ts', "import { PrismaClient } from '@prisma/client';\nexport const x = PrismaClient;\n").map((m) => m.ruleId)).toContain('no-restricted-imports');
    expect(lintAs('libs/authority/src/bad.ts', 'export const x = process.env.HOME;\n').map((m) => m.ruleId)).toContain('no-restricted-properties');
    expect(lintAs('libs/authority/src/bad.ts', "import { HttpException } from '@nestjs/common';\nexport const x = new HttpException('x', 400);\n").map((m) => m.ruleId)).toContain('no-restricted-syntax');
  });

  it('accepts an import along the direction', () => {
    const msgs = lintAs('libs/authority/src/ok.ts', "import { encodeName } from '@anchorage/pki';\nexport const x = encodeName;\n");
    expect(msgs.filter((m) => m.ruleId === '@nx/enforce-module-boundaries')).toEqual([]);
  });
});
