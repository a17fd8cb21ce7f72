// Each serial once (RFC 5280 §4.1.2.2: a CA's serial numbers are unique): the signer process remembers
// every certificate serial it signed per key, with the SHA-256 of the TBS, in an append-only journal in
// its key directory. Signing the same TBS again is allowed (a retry completing a recorded intent gets
// the same certificate); another TBS with a serial this key already signed is refused, whoever asks.
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, truncateSync } from 'node:fs';
import { SignerError } from '../errors';

const LINE = /^([0-9a-f]{64}) ([0-9a-f]{1,64}) ([0-9a-f]{64})$/;

/** The certificate serials the signer process has signed, per key. */
export class SerialJournal {
  private readonly signed = new Map<string, string>();
  /** SHA-256 (hex) of each keyRef seen: a journal line names its key by this. */
  private readonly keyHashes = new Map<string, string>();
  /** The journal file, open for appending while the journal is. */
  private fd: number | null = null;

  private constructor(private readonly path: string) {}

  /** Opens (reading every line) or starts the journal at `path`, and keeps it open for appending. */
  static open(path: string): SerialJournal {
    const j = new SerialJournal(path);
    if (existsSync(path)) {
      const content = readFileSync(path);
      const lines = content.toString('utf8').split('\n');
      lines.forEach((line, i) => {
        const m = LINE.exec(line);
        if (m) return void j.signed.set(`${m[1]} ${m[2]}`, m[3]);
        // a torn last line (a crash mid-append, before the signature it announced was made) is ignored;
        // anything else means the journal was tampered with or damaged
        if (line !== '' && i !== lines.length - 1) {
          throw new SignerError(`serial journal ${path} has a malformed line ${i + 1}; refusing to start without knowing what was signed`);
        }
      });
      // Cut the torn line off, or the next append would run on from it into one malformed line that
      // stops the signer at its next start.
      if (content.length > 0 && content[content.length - 1] !== 0x0a) truncateSync(path, content.lastIndexOf(0x0a) + 1);
    }
    j.fd = openSync(path, 'a', 0o600);
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
    const key = `${this.keyHash(keyRef)} ${serialHex}`;
    const known = this.signed.get(key);
    if (known === tbsSha256) return;
    if (known !== undefined) throw new SignerError(`refusing to sign: serial ${serialHex} was signed by this key for another certificate (RFC 5280 §4.1.2.2)`);
    if (this.fd === null) throw new SignerError(`serial journal ${this.path} is closed; refusing to sign a certificate without recording its serial`);
    appendFileSync(this.fd, `${key} ${tbsSha256}\n`);
    this.signed.set(key, tbsSha256);
  }

  /** Closes the journal file; claims after this are refused. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private keyHash(keyRef: string): string {
    let h = this.keyHashes.get(keyRef);
    if (h === undefined) {
      h = createHash('sha256').update(keyRef).digest('hex');
      this.keyHashes.set(keyRef, h);
    }
    return h;
  }
}
