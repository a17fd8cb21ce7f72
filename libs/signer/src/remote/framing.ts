// The signer socket's frames (protocol.ts): [u32 length][u32 id][u8 code][payload], big-endian, where
// length counts the bytes after itself (id, code, payload) and the payload is
// [u16 header length][header: a JSON object, UTF-8, may be empty][body: raw bytes]. The reader checks
// the length against its limit before it buffers anything of the frame, and copies each byte once.

/** Bytes of a frame before its payload: length, id, code. */
export const FRAME_HEAD_BYTES = 9;
/** Bytes the length field counts besides the payload: id and code. */
const ID_AND_CODE_BYTES = 5;
/** Largest header (JSON): what a u16 holds. */
export const MAX_HEADER_BYTES = 0xffff;
/** Bodies up to this size are copied into the frame's one buffer; larger ones are written as they are. */
const COPY_BODY_MAX = 64 * 1024;

/** One frame: a request (code = op) or a response (code = status), matched by id. */
export interface Frame {
  id: number;
  code: number;
  /** The JSON header's bytes (empty: no header). */
  header: Buffer;
  body: Buffer;
}

/** A frame that breaks the format or the reader's limit; the stream cannot be trusted after it. */
export class FrameError extends Error {
  /** The id of the frame, when its head was read (0 otherwise). */
  constructor(message: string, readonly id = 0) {
    super(message);
    this.name = 'FrameError';
  }
}

/**
 * Encodes a frame as one buffer, or two when the body is large (head, then the body itself, uncopied).
 * `header` is JSON-encoded; null or undefined sends none.
 */
export function encodeFrame(id: number, code: number, header?: object | null, body?: Uint8Array): Buffer[] {
  const h = header ? Buffer.from(JSON.stringify(header), 'utf8') : null;
  const hLen = h?.length ?? 0;
  if (hLen > MAX_HEADER_BYTES) throw new FrameError(`frame header of ${hLen} bytes is over ${MAX_HEADER_BYTES}`, id);
  const bLen = body?.length ?? 0;
  const inline = bLen <= COPY_BODY_MAX;
  const head = Buffer.allocUnsafe(FRAME_HEAD_BYTES + 2 + hLen + (inline ? bLen : 0));
  head.writeUInt32BE(ID_AND_CODE_BYTES + 2 + hLen + bLen, 0);
  head.writeUInt32BE(id >>> 0, 4);
  head.writeUInt8(code, 8);
  head.writeUInt16BE(hLen, 9);
  if (h) h.copy(head, 11);
  if (!body || bLen === 0) return [head];
  if (inline) {
    head.set(body, 11 + hLen);
    return [head];
  }
  return [head, Buffer.from(body.buffer, body.byteOffset, bLen)];
}

/** What FrameWriter writes to: a net.Socket. */
interface CorkableStream {
  cork(): void;
  uncork(): void;
  write(chunk: Buffer): boolean;
}

/**
 * Writes frames to a socket, gathering every frame written in the same tick (e.g. the answers to
 * requests that completed together) into one system call.
 */
export class FrameWriter {
  private corked = false;

  constructor(private readonly stream: CorkableStream) {}

  write(chunks: Buffer[]): void {
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      process.nextTick(() => {
        this.corked = false;
        this.stream.uncork();
      });
    }
    for (const c of chunks) this.stream.write(c);
  }
}

/** The header of `f` as a JSON object ({} when it has none); FrameError when it is not one. */
export function readHeader(f: Frame): Record<string, unknown> {
  if (f.header.length === 0) return {};
  let v: unknown;
  try {
    v = JSON.parse(f.header.toString('utf8'));
  } catch {
    throw new FrameError('the frame header is not JSON', f.id);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new FrameError('the frame header must be a JSON object', f.id);
  return v as Record<string, unknown>;
}

/**
 * Cuts a byte stream into frames. `push` each chunk as it arrives; `onFrame` runs synchronously for every
 * complete frame, in order, and may return false to stop the reader (nothing after that frame is read).
 * `maxFrameBytes` (the length field's limit) may be changed between frames, e.g. once a peer has
 * authenticated; a frame over it throws FrameError before any of its payload is buffered.
 */
export class FrameReader {
  private readonly head = Buffer.alloc(FRAME_HEAD_BYTES);
  private headFill = 0;
  private payload: Buffer | null = null;
  private payloadFill = 0;
  private id = 0;
  private code = 0;
  private stopped = false;

  constructor(public maxFrameBytes: number, private readonly onFrame: (f: Frame) => boolean | void) {}

  /** Bytes read of a frame not yet complete. */
  get pending(): number {
    return this.payload ? FRAME_HEAD_BYTES + this.payloadFill : this.headFill;
  }

  /** Reads `chunk`; throws FrameError on a frame that breaks the format or the limit (the reader is then stopped). */
  push(chunk: Buffer): void {
    let off = 0;
    try {
      while (off < chunk.length && !this.stopped) {
        if (!this.payload) {
          let length: number;
          if (this.headFill === 0 && chunk.length - off >= FRAME_HEAD_BYTES) {
            length = this.startFrame(chunk, off);
            off += FRAME_HEAD_BYTES;
          } else {
            const n = Math.min(FRAME_HEAD_BYTES - this.headFill, chunk.length - off);
            chunk.copy(this.head, this.headFill, off, off + n);
            this.headFill += n;
            off += n;
            if (this.headFill < FRAME_HEAD_BYTES) return;
            this.headFill = 0;
            length = this.startFrame(this.head, 0);
          }
          const size = length - ID_AND_CODE_BYTES;
          if (chunk.length - off >= size) {
            // the whole payload is in this chunk: no copy
            this.deliver(chunk.subarray(off, off + size));
            off += size;
            continue;
          }
          this.payload = Buffer.allocUnsafe(size);
          this.payloadFill = 0;
        }
        const n = Math.min(this.payload.length - this.payloadFill, chunk.length - off);
        chunk.copy(this.payload, this.payloadFill, off, off + n);
        this.payloadFill += n;
        off += n;
        if (this.payloadFill === this.payload.length) {
          const payload = this.payload;
          this.payload = null;
          this.payloadFill = 0;
          this.deliver(payload);
        }
      }
    } catch (err) {
      this.stop();
      throw err;
    }
  }

  /** The stream ended: FrameError if it ended inside a frame. */
  end(): void {
    const pending = this.pending;
    this.stop();
    if (pending > 0) throw new FrameError(`the stream ended inside a frame (${pending} bytes of it read)`, this.id);
  }

  /** Stops reading and drops any partial frame. */
  stop(): void {
    this.stopped = true;
    this.payload = null;
    this.headFill = 0;
    this.payloadFill = 0;
  }

  private startFrame(buf: Buffer, at: number): number {
    const length = buf.readUInt32BE(at);
    this.id = buf.readUInt32BE(at + 4);
    this.code = buf[at + 8];
    if (length < ID_AND_CODE_BYTES + 2) throw new FrameError(`frame length ${length} is too short for a frame`, this.id);
    if (length > this.maxFrameBytes) throw new FrameError(`frame of ${length} bytes is over the limit of ${this.maxFrameBytes}`, this.id);
    return length;
  }

  private deliver(payload: Buffer): void {
    const hLen = payload.readUInt16BE(0);
    if (2 + hLen > payload.length) throw new FrameError(`frame header length ${hLen} runs past the frame`, this.id);
    const frame: Frame = { id: this.id, code: this.code, header: payload.subarray(2, 2 + hLen), body: payload.subarray(2 + hLen) };
    if (this.onFrame(frame) === false) this.stop();
  }
}
