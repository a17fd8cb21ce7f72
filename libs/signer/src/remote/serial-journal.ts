// Each serial once (RFC 5280 §4.1.2.2: a CA's serial numbers are unique): the signer process remembers
// every certificate serial it signed per key, with the SHA-256 of the TBS, in an append-only journal in
// its key directory. Signing the same TBS again is allowed (a retry completing a recorded intent gets
// the same certificate); another TBS with a serial this key already signed is refused, whoever asks.
//
// The journal is read at start in chunks, line by line, into a compact set (serial-set.ts): read whole
// into one string, a journal of about 3.3 million serials (540 MB) was longer than V8's longest string
// and the signer could not start. Lines are checked and hashed from their bytes (about 2.5 µs a line
// against 5.4 when each was made a string and matched with a regular expression).
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { SignerError } from '../errors';
import { serialEntry, serialEntryOf, SignedSerialSet, TBS_DIGEST_BYTES, type SerialEntry } from './serial-set';

// A line: `<SHA-256 of the keyRef, 64 hex> <serial, 1-64 hex> <SHA-256 of the TBS, 64 hex>`, lowercase.
const HASH_HEX = 64;
const SPACE = 0x20;
/** Each byte's value as a lowercase hex digit, or -1. */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;

function isHex(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (HEX_VALUE[b[i]] < 0) return false;
  return true;
}

/**
 * The entry of the journal line in `b` from `start` to `end` (its newline excluded), or null when it is
 * not a well-formed line. Read from the bytes: a journal holds millions of lines, and making strings of
 * each (and matching them with a regular expression) took most of the signer's start-up.
 */
function lineEntry(b: Buffer, start: number, end: number): SerialEntry | null {
  const serialEnd = end - HASH_HEX - 1; // the space before the TBS digest
  const serialStart = start + HASH_HEX + 1;
  const serialLength = serialEnd - serialStart;
  if (serialLength < 1 || serialLength > 64 || b[start + HASH_HEX] !== SPACE || b[serialEnd] !== SPACE) return null;
  if (!isHex(b, start, start + HASH_HEX) || !isHex(b, serialStart, serialEnd) || !isHex(b, serialEnd + 1, end)) return null;
  const tbs = Buffer.allocUnsafe(TBS_DIGEST_BYTES);
  for (let i = 0, at = serialEnd + 1; i < TBS_DIGEST_BYTES; i++, at += 2) tbs[i] = (HEX_VALUE[b[at]] << 4) | HEX_VALUE[b[at + 1]];
  return serialEntryOf(b.subarray(start, serialEnd), tbs);
}

/** The certificate serials the signer process has signed, per key. */
export class SerialJournal {
  private readonly signed = new SignedSerialSet();
  /** SHA-256 (hex) of each keyRef seen: a journal line names its key by this. */
  private readonly keyHashes = new Map<string, string>();
  /** The journal file, open for appending while the journal is. */
  private fd: number | null = null;

  private constructor(private readonly path: string) {}

  /**
   * Opens (reading every line) or starts the journal at `path`, and keeps it open for appending.
   * `chunkBytes` is how much is read at a time (tests make it small, so lines straddle chunks).
   */
  static open(path: string, opts: { chunkBytes?: number } = {}): SerialJournal {
    const j = new SerialJournal(path);
    if (existsSync(path)) j.read(opts.chunkBytes ?? 1 << 20);
    j.fd = openSync(path, 'a', 0o600);
    return j;
  }

  /** Reads every complete line into memory; cuts a torn last line off; throws on any other malformed line. */
  private read(chunkBytes: number): void {
    const fd = openSync(this.path, 'r+');
    try {
      const chunk = Buffer.alloc(chunkBytes);
      let carry = Buffer.alloc(0); // the start of a line the previous chunk ended in
      let lineNo = 0;
      let offset = 0; // file offset of carry's first byte
      for (let n = readSync(fd, chunk, 0, chunkBytes, null); n > 0; n = readSync(fd, chunk, 0, chunkBytes, null)) {
        const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
        let start = 0;
        for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
          lineNo += 1;
          const entry = lineEntry(data, start, nl);
          if (!entry) throw new SignerError(`serial journal ${this.path} has a malformed line ${lineNo}; refusing to start without knowing what was signed`);
          this.signed.add(entry);
          start = nl + 1;
        }
        offset += start;
        carry = Buffer.from(data.subarray(start)); // a copy: chunk is read into again
      }
      if (carry.length > 0) {
        // a torn last line (a crash mid-append, before the signature it announced was made) is ignored,
        // and cut off, or the next append would run on from it into one malformed line that stops the
        // signer at its next start; a whole line missing only its newline is taken and ended
        const entry = lineEntry(carry, 0, carry.length);
        if (entry) {
          this.signed.add(entry);
          writeSync(fd, '\n', offset + carry.length);
        } else {
          ftruncateSync(fd, offset);
        }
      }
    } finally {
      closeSync(fd);
    }
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
    const keyHash = this.keyHash(keyRef);
    const entry = serialEntry(keyHash, serialHex, tbsSha256);
    const known = this.signed.check(entry);
    if (known === 'same') return;
    if (known === 'other') throw new SignerError(`refusing to sign: serial ${serialHex} was signed by this key for another certificate (RFC 5280 §4.1.2.2)`);
    if (this.fd === null) throw new SignerError(`serial journal ${this.path} is closed; refusing to sign a certificate without recording its serial`);
    appendFileSync(this.fd, `${keyHash} ${serialHex} ${tbsSha256}\n`);
    this.signed.add(entry);
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
