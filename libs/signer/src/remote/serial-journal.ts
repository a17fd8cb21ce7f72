// Each serial once (RFC 5280 §4.1.2.2: a CA's serial numbers are unique): the signer process remembers
// every certificate serial it signed per key, with the SHA-256 of the TBS, in an append-only journal in
// its key directory. Signing the same TBS again is allowed (a retry completing a recorded intent gets
// the same certificate); another TBS with a serial this key already signed is refused, whoever asks.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { SignerError } from '../errors';

const LINE = /^([0-9a-f]{64}) ([0-9a-f]{1,64}) ([0-9a-f]{64})$/;

/** The certificate serials the signer process has signed, per key. */
export class SerialJournal {
  private readonly signed = new Map<string, string>();

  private constructor(private readonly path: string) {}

  /** Opens (reading every line) or starts the journal at `path`. */
  static open(path: string): SerialJournal {
    const j = new SerialJournal(path);
    if (existsSync(path)) {
      const lines = readFileSync(path, 'utf8').split('\n');
      lines.forEach((line, i) => {
        const m = LINE.exec(line);
        if (m) return void j.signed.set(`${m[1]} ${m[2]}`, m[3]);
        // a torn last line (a crash mid-append, before the signature it announced was made) is ignored;
        // anything else means the journal was tampered with or damaged
        if (line !== '' && i !== lines.length - 1) {
          throw new SignerError(`serial journal ${path} has a malformed line ${i + 1}; refusing to start without knowing what was signed`);
        }
      });
    }
    return j;
  }

  /** How many serials are recorded. */
  get size(): number {
    return this.signed.size;
  }

  /**
   * Records that `keyRef` signs the certificate TBS of `serialHex` with hash `tbsSha256`, or throws
   * SignerError if the key signed another TBS with that serial. Appended before the signature is made.
   */
  claim(keyRef: string, serialHex: string, tbsSha256: string): void {
    const key = `${createHash('sha256').update(keyRef).digest('hex')} ${serialHex}`;
    const known = this.signed.get(key);
    if (known === tbsSha256) return;
    if (known !== undefined) throw new SignerError(`refusing to sign: serial ${serialHex} was signed by this key for another certificate (RFC 5280 §4.1.2.2)`);
    appendFileSync(this.path, `${key} ${tbsSha256}\n`, { mode: 0o600 });
    this.signed.set(key, tbsSha256);
  }
}
