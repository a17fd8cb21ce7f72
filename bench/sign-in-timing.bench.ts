// Benchmark 7: how long a refused sign-in takes for an address with no account, a known account
// (wrong password), a locked account and an operator with TOTP, in rounds that interleave the four in
// a random order so drift and bursts of other load fall on all of them alike. The unknown address is
// the baseline. Target: each median within 25% of the baseline's (the deterministic check, the same
// SQL and argon2 work, is libs/authority/src/identity/sign-in.integration-spec.ts).
import { randomBytes, randomInt } from 'node:crypto';
import { createUser, LOCK_AFTER_FAILURES, signIn, SIGN_IN_REFUSED, type Platform } from '@anchorage/authority';
import { createBenchDatabase } from './lib/db';
import { QUICK } from './lib/env';
import { benchPlatformOptions, OPERATOR, openPlatform, removeBenchDir } from './lib/platform';
import { Report } from './lib/report';
import { fmt, median, msSince } from './lib/stats';

const SAMPLES = QUICK ? 15 : 30;
const WARMUP = 3;
const PASSWORD = 'bench sign-in password';
const WRONG = 'not the password at all';

async function refusedMs(p: Platform, email: string): Promise<number> {
  const start = process.hrtime.bigint();
  const err = await signIn(p, { email, password: WRONG }).then(() => null, (e: Error) => e);
  const ms = msSince(start);
  if (err?.message !== SIGN_IN_REFUSED) throw new Error(`sign-in as ${email} was not refused: ${err?.message ?? 'signed in'}`);
  return ms;
}

async function main(): Promise<void> {
  const report = new Report('7 sign-in timing');
  const db = await createBenchDatabase('signin');
  const opts = benchPlatformOptions(db.url);
  let p: Platform | null = null;
  try {
    p = await openPlatform(opts);
    const tag = randomBytes(4).toString('hex');
    const user = (who: string, role: 'auditor' | 'operator' = 'auditor') =>
      createUser(p!, { email: `${who}-${tag}@bench.example.org`, displayName: who, role, password: PASSWORD, ...(role === 'operator' ? { communities: 'all' as const } : {}) }, OPERATOR);
    const known = await user('known');
    const totp = await user('totp', 'operator');
    const locked = await user('locked');
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) await refusedMs(p, locked.email);
    const cases = [
      { label: 'no account (baseline)', email: `nobody-${tag}@bench.example.org`, unlock: null },
      { label: 'known account, wrong password', email: known.email, unlock: known.id },
      { label: 'operator with TOTP, wrong password', email: totp.email, unlock: totp.id },
      { label: 'locked account', email: locked.email, unlock: null },
    ];
    const samples = cases.map(() => [] as number[]);
    for (let round = 0; round < WARMUP + SAMPLES; round++) {
      const order = cases.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = randomInt(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (const i of order) {
        const ms = await refusedMs(p, cases[i].email);
        // untimed: keeps the known accounts below the lock, so they stay "known, wrong password"
        if (cases[i].unlock) await p.db.identity.unlock(cases[i].unlock!);
        if (round >= WARMUP) samples[i].push(ms);
      }
    }
    const base = median(samples[0]);
    cases.forEach((c, i) => {
      const m = median(samples[i]);
      console.log(`bench 7: ${c.label}: median ${fmt(m)} ms (${samples[i].map((x) => fmt(x)).join(', ')})`);
      report.add({
        figure: `refused sign-in, ${c.label}`, value: `${fmt(m)} ms`, baseline: i === 0 ? '' : `${fmt(base)} ms no account`,
        ratio: i === 0 ? null : m / base, numeric: Math.abs(m - base) / base,
        ...(i === 0 ? {} : { target: { op: '<' as const, limit: 0.25, on: 'value' as const, unit: '(|median - baseline| / baseline)' } }),
        note: i === 0 ? `${SAMPLES} samples of each after ${WARMUP} warm-up rounds, the four interleaved in a random order per round, one at a time; medians` : undefined,
      });
    });
  } finally {
    await p?.close();
    await db.drop();
    removeBenchDir(opts);
  }
  report.finish(7);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
