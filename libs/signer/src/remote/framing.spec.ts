import { randomBytes } from 'node:crypto';
import { encodeFrame, FRAME_HEAD_BYTES, FrameError, FrameReader, readHeader, type Frame } from './framing';

/** Reads `stream` cut into pieces of the given sizes (repeated), collecting every frame. */
function readAll(stream: Buffer, sizes: number[], max = 1 << 20): Frame[] {
  const frames: Frame[] = [];
  const reader = new FrameReader(max, (f) => void frames.push({ ...f, header: Buffer.from(f.header), body: Buffer.from(f.body) }));
  for (let off = 0, i = 0; off < stream.length; i++) {
    const n = sizes[i % sizes.length];
    reader.push(stream.subarray(off, off + n));
    off += n;
  }
  reader.end();
  return frames;
}

const head = (length: number, id = 7, code = 1) => {
  const b = Buffer.alloc(FRAME_HEAD_BYTES);
  b.writeUInt32BE(length, 0);
  b.writeUInt32BE(id, 4);
  b[8] = code;
  return b;
};

describe('signer frames', () => {
  const small = { id: 1, code: 5, header: { keyRef: 'soft:0123', alg: 'sha256WithRSAEncryption', meta: { purpose: 'certificate', subject: 'ü' } }, body: randomBytes(700) };
  const large = { id: 0xffffffff, code: 0, header: null, body: randomBytes(300_000) };
  const empty = { id: 2, code: 2, header: null, body: undefined };
  const stream = Buffer.concat([small, large, empty].flatMap((f) => encodeFrame(f.id, f.code, f.header, f.body)));

  it.each([
    ['in one chunk', [stream.length]],
    ['byte by byte', [1]],
    ['in uneven pieces', [3, 8, 9, 10, 4096, 65_537, 2]],
  ])('round-trip ids, codes, headers and raw bodies %s', (_, sizes) => {
    const frames = readAll(stream, sizes);
    expect(frames.map((f) => [f.id, f.code])).toEqual([[1, 5], [0xffffffff, 0], [2, 2]]);
    expect(readHeader(frames[0])).toEqual(small.header);
    expect(frames[0].body.equals(small.body)).toBe(true);
    expect(readHeader(frames[1])).toEqual({});
    expect(frames[1].body.equals(large.body)).toBe(true);
    expect(frames[2].body.length).toBe(0);
  });

  it('sends a large body as it is, after the head, and a small one inside it', () => {
    expect(encodeFrame(1, 5, small.header, small.body)).toHaveLength(1);
    const parts = encodeFrame(1, 5, null, large.body);
    expect(parts).toHaveLength(2);
    expect(parts[0].readUInt32BE(0)).toBe(5 + 2 + large.body.length);
    expect(parts[1].equals(large.body)).toBe(true);
  });

  it('refuses a frame over the limit from its head alone, before buffering any of it', () => {
    const frames: Frame[] = [];
    const reader = new FrameReader(4096, (f) => void frames.push(f));
    const err = (() => {
      try {
        reader.push(head(4097, 9));
      } catch (e) {
        return e as FrameError;
      }
      throw new Error('no FrameError');
    })();
    expect(err).toBeInstanceOf(FrameError);
    expect(err.message).toMatch(/frame of 4097 bytes is over the limit of 4096/);
    expect(err.id).toBe(9);
    expect(reader.pending).toBe(0);
    reader.push(Buffer.concat(encodeFrame(1, 1, null, Buffer.alloc(8)))); // a stopped reader reads nothing more
    expect(frames).toHaveLength(0);
  });

  it('takes the limit in force when each head arrives', () => {
    const frames: Frame[] = [];
    const reader = new FrameReader(64, (f) => {
      frames.push(f);
      reader.maxFrameBytes = 1 << 20; // e.g. raised once the first frame authenticated the peer
    });
    reader.push(Buffer.concat([...encodeFrame(1, 1, null, Buffer.alloc(32)), ...encodeFrame(2, 5, null, Buffer.alloc(1000))]));
    expect(frames.map((f) => f.body.length)).toEqual([32, 1000]);
    expect(() => new FrameReader(64, () => undefined).push(Buffer.concat(encodeFrame(2, 5, null, Buffer.alloc(1000))))).toThrow(FrameError);
  });

  it('refuses lengths too short for a frame and headers that run past it', () => {
    expect(() => new FrameReader(1024, () => undefined).push(head(6))).toThrow(/too short/);
    const pastEnd = Buffer.concat([head(5 + 2 + 3), Buffer.from([0x00, 0x09, 0x7b, 0x7d, 0x00])]);
    expect(() => new FrameReader(1024, () => undefined).push(pastEnd)).toThrow(/header length 9 runs past the frame/);
  });

  it('reports a stream that ends inside a frame', () => {
    const whole = Buffer.concat(encodeFrame(3, 5, { a: 1 }, Buffer.alloc(100)));
    for (const cut of [4, FRAME_HEAD_BYTES, whole.length - 1]) {
      const frames: Frame[] = [];
      const reader = new FrameReader(1024, (f) => void frames.push(f));
      reader.push(whole.subarray(0, cut));
      expect(frames).toHaveLength(0);
      expect(() => reader.end()).toThrow(/the stream ended inside a frame/);
    }
    const reader = new FrameReader(1024, () => undefined);
    reader.push(whole);
    expect(() => reader.end()).not.toThrow();
  });

  it('stops after a frame when told to, reading nothing behind it', () => {
    const ids: number[] = [];
    const reader = new FrameReader(1024, (f) => {
      ids.push(f.id);
      return false;
    });
    reader.push(Buffer.concat([...encodeFrame(1, 1), ...encodeFrame(2, 2), ...encodeFrame(3, 3)]));
    expect(ids).toEqual([1]);
  });

  it('reads headers only as JSON objects', () => {
    const frame = (json: string): Frame => ({ id: 4, code: 1, header: Buffer.from(json), body: Buffer.alloc(0) });
    expect(readHeader(frame('{"keyRef":"soft:1"}'))).toEqual({ keyRef: 'soft:1' });
    for (const bad of ['[1]', 'null', '"x"', '{', '1']) expect(() => readHeader(frame(bad))).toThrow(FrameError);
  });
});
