// A small QR code encoder (ISO/IEC 18004:2015) for the one thing the console shows as a QR code: an
// otpauth:// URI for an authenticator app. Byte mode (UTF-8), error correction level M, versions 1
// to 10 (up to 213 bytes; an otpauth URI is about 130), the mask with the lowest penalty score
// (§7.8.3). Pure: text in, a square matrix of dark (true) and light (false) modules out.

/** Versions 1..10 at level M: error correction codewords per block, and the blocks' data codeword counts. */
const LEVEL_M: readonly { ecPerBlock: number; blocks: readonly number[] }[] = [
  { ecPerBlock: 10, blocks: [16] },
  { ecPerBlock: 16, blocks: [28] },
  { ecPerBlock: 26, blocks: [44] },
  { ecPerBlock: 18, blocks: [32, 32] },
  { ecPerBlock: 24, blocks: [43, 43] },
  { ecPerBlock: 16, blocks: [27, 27, 27, 27] },
  { ecPerBlock: 18, blocks: [31, 31, 31, 31] },
  { ecPerBlock: 22, blocks: [38, 38, 39, 39] },
  { ecPerBlock: 22, blocks: [36, 36, 36, 37, 37] },
  { ecPerBlock: 26, blocks: [43, 43, 43, 43, 44] },
];

/** Centre coordinates of the alignment patterns, versions 1..10 (Annex E). */
const ALIGNMENT: readonly (readonly number[])[] = [
  [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
];

/** The highest version this encoder makes. */
export const MAX_QR_VERSION = LEVEL_M.length;

/** A QR code: its version, the mask chosen, and modules[y][x] (true: dark). */
export interface QrCode {
  version: number;
  mask: number;
  size: number;
  modules: boolean[][];
}

const dataCapacity = (version: number) => LEVEL_M[version - 1].blocks.reduce((a, b) => a + b, 0);

/** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1 (0x11D). */
function gfMul(x: number, y: number): number {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z & 0xff;
}

/** The Reed-Solomon generator polynomial of `degree` (coefficients, highest first, leading 1 left out). */
function rsDivisor(degree: number): number[] {
  const result = new Array<number>(degree).fill(0);
  result[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      result[j] = gfMul(result[j], root);
      if (j + 1 < degree) result[j] ^= result[j + 1];
    }
    root = gfMul(root, 2);
  }
  return result;
}

/** The error correction codewords of `data` (the remainder of the division by the divisor). */
function rsRemainder(data: readonly number[], divisor: readonly number[]): number[] {
  const result = new Array<number>(divisor.length).fill(0);
  for (const b of data) {
    const factor = b ^ (result.shift() as number);
    result.push(0);
    divisor.forEach((coef, i) => { result[i] ^= gfMul(coef, factor); });
  }
  return result;
}

/** Mode indicator, count, bytes, terminator and padding: the data codewords of `version` (§7.4). */
function dataCodewords(bytes: Uint8Array, version: number): number[] {
  const bits: number[] = [];
  const put = (value: number, length: number) => { for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1); };
  put(0b0100, 4);
  put(bytes.length, version <= 9 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  const capacityBits = dataCapacity(version) * 8;
  put(0, Math.min(4, capacityBits - bits.length));
  put(0, (8 - (bits.length % 8)) % 8);
  const out: number[] = [];
  for (let i = 0; i < bits.length; i += 8) out.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  for (let pad = 0xec; out.length < dataCapacity(version); pad ^= 0xec ^ 0x11) out.push(pad);
  return out;
}

/** Splits the data into blocks, adds each block's error correction and interleaves them (§7.6). */
function interleave(data: readonly number[], version: number): number[] {
  const { ecPerBlock, blocks } = LEVEL_M[version - 1];
  const divisor = rsDivisor(ecPerBlock);
  const dataBlocks: number[][] = [];
  let at = 0;
  for (const n of blocks) {
    dataBlocks.push(data.slice(at, at + n));
    at += n;
  }
  const ecBlocks = dataBlocks.map((b) => rsRemainder(b, divisor));
  const out: number[] = [];
  for (let i = 0; i < Math.max(...blocks); i++) for (const b of dataBlocks) if (i < b.length) out.push(b[i]);
  for (let i = 0; i < ecPerBlock; i++) for (const b of ecBlocks) out.push(b[i]);
  return out;
}

const MASKS: readonly ((x: number, y: number) => boolean)[] = [
  (x, y) => (x + y) % 2 === 0,
  (_x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

/** A matrix with its function patterns drawn, and which modules they are. */
class Grid {
  readonly size: number;
  readonly modules: boolean[][];
  readonly isFunction: boolean[][];

  constructor(readonly version: number) {
    this.size = version * 4 + 17;
    this.modules = Array.from({ length: this.size }, () => new Array<boolean>(this.size).fill(false));
    this.isFunction = Array.from({ length: this.size }, () => new Array<boolean>(this.size).fill(false));
    for (let i = 0; i < this.size; i++) {
      this.fn(6, i, i % 2 === 0);
      this.fn(i, 6, i % 2 === 0);
    }
    this.finder(3, 3);
    this.finder(this.size - 4, 3);
    this.finder(3, this.size - 4);
    const pos = ALIGNMENT[version - 1];
    const last = pos.length - 1;
    for (let i = 0; i <= last; i++) {
      for (let j = 0; j <= last; j++) {
        if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) continue;
        for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) this.fn(pos[i] + dx, pos[j] + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
    }
    this.format(0); // reserves the format areas; drawn again with the chosen mask
    this.versionInfo(false);
  }

  fn(x: number, y: number, dark: boolean): void {
    this.modules[y][x] = dark;
    this.isFunction[y][x] = true;
  }

  private finder(cx: number, cy: number): void {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        if (x >= 0 && x < this.size && y >= 0 && y < this.size) this.fn(x, y, d !== 2 && d !== 4);
      }
    }
  }

  /** Format information: level M (00) and the mask, BCH(15,5), XOR 101010000010010 (§7.9). */
  format(mask: number, blank = false): void {
    const data = (0b00 << 3) | mask;
    let rem = data;
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    const bits = blank ? 0 : ((data << 10) | rem) ^ 0x5412;
    const bit = (i: number) => ((bits >>> i) & 1) !== 0;
    for (let i = 0; i <= 5; i++) this.fn(8, i, bit(i));
    this.fn(8, 7, bit(6));
    this.fn(8, 8, bit(7));
    this.fn(7, 8, bit(8));
    for (let i = 9; i < 15; i++) this.fn(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i++) this.fn(this.size - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i++) this.fn(8, this.size - 15 + i, bit(i));
    this.fn(8, this.size - 8, !blank); // the dark module
  }

  /** Version information from version 7 on: BCH(18,6) (§7.10). */
  versionInfo(blank: boolean): void {
    if (this.version < 7) return;
    let rem = this.version;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = blank ? 0 : (this.version << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) !== 0;
      const a = this.size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      this.fn(a, b, dark);
      this.fn(b, a, dark);
    }
  }

  /** Places the codewords in the zigzag of two-module columns, right to left (§7.7.3). */
  place(codewords: readonly number[]): void {
    let i = 0;
    for (let right = this.size - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5;
      for (let vert = 0; vert < this.size; vert++) {
        for (let j = 0; j < 2; j++) {
          const x = right - j;
          const upward = ((right + 1) & 2) === 0;
          const y = upward ? this.size - 1 - vert : vert;
          if (this.isFunction[y][x]) continue;
          this.modules[y][x] = i < codewords.length * 8 && ((codewords[i >>> 3] >>> (7 - (i & 7))) & 1) !== 0;
          i++;
        }
      }
    }
  }

  applyMask(mask: number): void {
    for (let y = 0; y < this.size; y++) {
      for (let x = 0; x < this.size; x++) if (!this.isFunction[y][x] && MASKS[mask](x, y)) this.modules[y][x] = !this.modules[y][x];
    }
  }
}

/** The penalty score of a masked symbol (§7.8.3.1, rules N1 = 3, N2 = 3, N3 = 40, N4 = 10). */
export function penalty(m: readonly (readonly boolean[])[]): number {
  const size = m.length;
  let score = 0;
  const at = (x: number, y: number, vertical: boolean) => (vertical ? m[x][y] : m[y][x]);
  for (const vertical of [false, true]) {
    for (let y = 0; y < size; y++) {
      let run = 1;
      for (let x = 1; x <= size; x++) {
        if (x < size && at(x, y, vertical) === at(x - 1, y, vertical)) run++;
        else {
          if (run >= 5) score += 3 + (run - 5);
          run = 1;
        }
      }
      // 1:1:3:1:1 finder-like pattern with four light modules on either side
      for (let x = 0; x + 11 <= size; x++) {
        const seq = Array.from({ length: 11 }, (_, k) => at(x + k, y, vertical));
        const core = (o: number) => seq[o] && !seq[o + 1] && seq[o + 2] && seq[o + 3] && seq[o + 4] && !seq[o + 5] && seq[o + 6];
        if ((core(0) && !seq[7] && !seq[8] && !seq[9] && !seq[10]) || (!seq[0] && !seq[1] && !seq[2] && !seq[3] && core(4))) score += 40;
      }
    }
  }
  for (let y = 0; y + 1 < size; y++) {
    for (let x = 0; x + 1 < size; x++) {
      const c = m[y][x];
      if (c === m[y][x + 1] && c === m[y + 1][x] && c === m[y + 1][x + 1]) score += 3;
    }
  }
  const dark = m.reduce((n, row) => n + row.filter(Boolean).length, 0);
  const total = size * size;
  score += Math.floor(Math.abs(dark * 20 - total * 10) / total) * 10;
  return score;
}

/** How to encode: a fixed mask instead of the best one; or score masks the way python-qrcode does (format and version areas light). */
export interface QrOptions {
  mask?: number;
  scoreWithBlankFormat?: boolean;
}

/** Encodes `text` (UTF-8) at level M in the smallest version that holds it, with the best mask (or the one given). */
export function encodeQr(text: string, options: QrOptions = {}): QrCode {
  const bytes = new TextEncoder().encode(text);
  let version = 1;
  while (version <= MAX_QR_VERSION && 4 + (version <= 9 ? 8 : 16) + bytes.length * 8 > dataCapacity(version) * 8) version++;
  if (version > MAX_QR_VERSION) throw new Error(`too long for a QR code here: ${bytes.length} bytes, at most ${Math.floor((dataCapacity(MAX_QR_VERSION) * 8 - 20) / 8)}`);
  const codewords = interleave(dataCodewords(bytes, version), version);
  const build = (mask: number, blank = false) => {
    const g = new Grid(version);
    g.place(codewords);
    g.applyMask(mask);
    g.format(mask, blank);
    g.versionInfo(blank);
    return g;
  };
  let mask = options.mask ?? -1;
  if (mask < 0) {
    let bestScore = Infinity;
    for (let m = 0; m < 8; m++) {
      const score = penalty(build(m, options.scoreWithBlankFormat).modules);
      if (score < bestScore) {
        bestScore = score;
        mask = m;
      }
    }
  }
  const grid = build(mask);
  return { version, mask, size: grid.size, modules: grid.modules };
}
