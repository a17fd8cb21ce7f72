// The raw-signing baseline: node:crypto sign with an RSA key held the way the software signer holds it.
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { msSince } from './stats';

const signAsync = promisify(sign);

/**
 * An RSA key as SoftwareKeyBackend holds it: exported as PKCS#8 DER, then re-imported with
 * createPrivateKey (libs/signer/src/software-backend.ts, readKey).
 */
export function signerShapedRsaKey(bits = 2048): KeyObject {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}

/** Synchronous `crypto.sign('sha256', tbs, key)` calls per second over about `ms` milliseconds (one thread). */
export function rawSignRate(key: KeyObject, tbsBytes: number, ms: number): number {
  const tbs = randomBytes(tbsBytes);
  for (let i = 0; i < 20; i++) sign('sha256', tbs, key); // warm-up
  const start = process.hrtime.bigint();
  let n = 0;
  while (msSince(start) < ms) {
    for (let i = 0; i < 10; i++) sign('sha256', tbs, key);
    n += 10;
  }
  return (n * 1000) / msSince(start);
}

/** Asynchronous sign calls per second with `concurrency` in flight (libuv thread pool, like the signer). */
export async function rawSignRateAsync(key: KeyObject, tbsBytes: number, ms: number, concurrency: number): Promise<number> {
  const tbs = randomBytes(tbsBytes);
  const start = process.hrtime.bigint();
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (msSince(start) < ms) {
        await signAsync('sha256', tbs, key);
        n++;
      }
    }),
  );
  return (n * 1000) / msSince(start);
}
