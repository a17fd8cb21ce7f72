// The serial journal's memory (serial-journal.ts): which certificate serials each key signed, and the
// TBS each was signed for, in fixed-size slots of one flat buffer instead of a Map of strings. A CA of a
// national network signs millions of certificates over its keys' lives; as strings (a 97-character key
// and a 64-character value per serial) that cost 230-360 bytes of JavaScript heap per serial, so about
// 3.6 GB at 10 million, over V8's heap limit, and every one of them scanned by the garbage collector.
// Here a serial costs 32 bytes of slot (64 with the table at most half full), outside the heap.
//
// A slot holds two 16-byte digests: of the key and the serial (which serial of which key), and of the
// TBS it was signed for (the first 16 bytes of its SHA-256). Truncated digests are safe here: to have a
// different TBS pass as the recorded one, a caller would need a second preimage of 128 bits of SHA-256;
// two (key, serial) pairs sharing a digest would only refuse a legitimate certificate, with odds of
// about n^2 / 2^129 (1e-25 at 10 million serials).
import { hash } from 'node:crypto';

const DIGEST_BYTES = 16;
const SLOT_BYTES = 2 * DIGEST_BYTES;
const INITIAL_SLOTS = 1024;

/** What `check` found for a serial of a key. */
export type SerialState = 'new' | 'same' | 'other';

/** A serial of a key and the TBS it is signed for, as the set holds them (made once per claim by `serialEntry`). */
export interface SerialEntry {
  id: Buffer;
  tbs: Buffer;
}

/** The entry of `serialHex` signed by the key of `keyHash` (hex) for the TBS of `tbsSha256` (hex). */
export function serialEntry(keyHash: string, serialHex: string, tbsSha256: string): SerialEntry {
  return serialEntryOf(`${keyHash} ${serialHex}`, Buffer.from(tbsSha256.slice(0, 2 * DIGEST_BYTES), 'hex'));
}

/**
 * The same entry from the text `<keyHash> <serialHex>` (as a string or its ASCII bytes, which a journal
 * line starts with) and the first 16 bytes of the TBS's SHA-256.
 */
export function serialEntryOf(keyAndSerial: string | Uint8Array, tbsDigestStart: Buffer): SerialEntry {
  const id = hash('sha256', keyAndSerial, 'buffer').subarray(0, DIGEST_BYTES);
  id[0] |= 1;
  return { id, tbs: tbsDigestStart.subarray(0, DIGEST_BYTES) };
}

/** Bytes of the TBS digest a slot keeps (its first 16). */
export const TBS_DIGEST_BYTES = DIGEST_BYTES;

/** Serials signed per key, each with the digest of the TBS it was signed for. */
export class SignedSerialSet {
  private slots = Buffer.alloc(INITIAL_SLOTS * SLOT_BYTES);
  private capacity = INITIAL_SLOTS;
  private count = 0;

  /** How many serials are held. */
  get size(): number {
    return this.count;
  }

  /** Whether the entry's key signed its serial already, and if so whether for its TBS. */
  check(e: SerialEntry): SerialState {
    const slot = this.find(e.id);
    if (!this.occupied(slot)) return 'new';
    return this.slots.compare(e.tbs, 0, DIGEST_BYTES, slot * SLOT_BYTES + DIGEST_BYTES, (slot + 1) * SLOT_BYTES) === 0 ? 'same' : 'other';
  }

  /** Records the entry; a serial held already keeps its first TBS. */
  add(e: SerialEntry): void {
    if ((this.count + 1) * 2 > this.capacity) this.grow();
    const slot = this.find(e.id);
    if (this.occupied(slot)) return;
    e.id.copy(this.slots, slot * SLOT_BYTES);
    e.tbs.copy(this.slots, slot * SLOT_BYTES + DIGEST_BYTES);
    this.count += 1;
  }

  /** The slot holding `id`, or the empty slot where it would go (linear probing; the table is never full). */
  private find(id: Buffer): number {
    const mask = this.capacity - 1;
    for (let slot = id.readUInt32LE(4) & mask; ; slot = (slot + 1) & mask) {
      if (!this.occupied(slot)) return slot;
      if (this.slots.compare(id, 0, DIGEST_BYTES, slot * SLOT_BYTES, slot * SLOT_BYTES + DIGEST_BYTES) === 0) return slot;
    }
  }

  /** A slot is taken when its id digest is set: every id digest has its lowest bit set, so an empty slot reads 0. */
  private occupied(slot: number): boolean {
    return (this.slots[slot * SLOT_BYTES] & 1) === 1;
  }

  private grow(): void {
    const old = this.slots;
    const oldCapacity = this.capacity;
    this.capacity *= 2;
    this.slots = Buffer.alloc(this.capacity * SLOT_BYTES);
    for (let s = 0; s < oldCapacity; s++) {
      if ((old[s * SLOT_BYTES] & 1) === 0) continue;
      const slot = this.find(old.subarray(s * SLOT_BYTES, s * SLOT_BYTES + DIGEST_BYTES));
      old.copy(this.slots, slot * SLOT_BYTES, s * SLOT_BYTES, (s + 1) * SLOT_BYTES);
    }
  }
}
