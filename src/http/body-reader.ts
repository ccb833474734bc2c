// One bounded reader for response bodies from untrusted servers (the conformance suite's client and
// the validation proxy). It decodes gzip/deflate/br as a stream with the size cap counted on the
// DECODED bytes, so a 1.6 kB brotli bomb stops at the cap like a 1 GiB plain body; when the cap is
// hit (or the signal aborts) it destroys the decoder and the socket at once - no byte is inflated
// after that, and nothing keeps the CPU busy once the caller has its answer. Besides the body it
// keeps a small excerpt for reports, so a body over the cap costs the excerpt, not the cap.
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import type { BodyGate } from './body-gate.js';

/** What reports keep of a body: enough for any error envelope, small enough for 45+ exchanges. */
export const EXCERPT_BYTES = 64 * 1024;

export type BodyReadError =
  /** `declared`: the Content-Length that was over the cap (only the excerpt was read). */
  | { kind: 'too-large'; message: string; declared?: number }
  | { kind: 'decode'; message: string; cause: unknown }
  | { kind: 'stream'; message: string; cause: unknown };

export interface BoundedBody {
  /** The whole decoded body when it was read to the end within the cap; otherwise the excerpt. */
  body: Buffer;
  /** The first EXCERPT_BYTES (or `excerptBytes`) decoded bytes. */
  excerpt: Buffer;
  /** Decoded bytes read before reading ended or stopped (at most `maxBytes`: the rest was never kept). */
  bytes: number;
  /** Read to the end, within the cap, without error. */
  complete: boolean;
  error?: BodyReadError;
}

export interface BodyReadOptions {
  /** The Content-Encoding header: gzip, x-gzip, deflate and br are decoded; anything else is read raw. */
  contentEncoding?: string | undefined;
  /** Largest decoded body kept whole. */
  maxBytes: number;
  excerptBytes?: number;
  signal?: AbortSignal | undefined;
  /**
   * The Content-Length header. When it already says an unencoded body is over the cap, only the
   * excerpt is read: the answer is "too large" either way, and 500 MB need not cross the wire.
   */
  contentLength?: string | undefined;
  /** Past the gate's threshold, the read waits for a large-body slot (bounded memory under concurrency). */
  gate?: BodyGate | undefined;
}

export function decoderFor(encoding: string | undefined): Transform | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

function quiet(stream: Readable | Transform | undefined): void {
  if (!stream) return;
  stream.on('error', () => undefined);
  stream.destroy();
}

export async function readBoundedBody(source: Readable, options: BodyReadOptions): Promise<BoundedBody> {
  const excerptBytes = Math.min(options.excerptBytes ?? EXCERPT_BYTES, options.maxBytes);
  const decoder = decoderFor(options.contentEncoding);
  const declared = Number(options.contentLength);
  const declaredTooLarge = !decoder && options.contentLength !== undefined && /^\d+$/.test(options.contentLength.trim()) && declared > options.maxBytes;
  const chunks: Buffer[] = [];
  let kept = 0;
  let bytes = 0;
  let error: BodyReadError | undefined;
  let sourceError: unknown;
  if (decoder) {
    // pipe() does not forward the source's errors: a broken connection must end the decoder too.
    source.once('error', (e) => {
      sourceError = e;
      decoder.destroy(e);
    });
    source.pipe(decoder);
  }
  const stream: Readable = decoder ?? source;
  const stop = () => {
    quiet(decoder);
    quiet(source);
  };
  let release: (() => void) | undefined;
  const onAbort = () => stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (declaredTooLarge && kept >= excerptBytes) {
        error = { kind: 'too-large', message: `the declared Content-Length ${declared} is over the ${options.maxBytes}-byte cap; read ${kept} bytes of it`, declared };
        break;
      }
      bytes += chunk.length;
      if (bytes > options.maxBytes) {
        bytes = options.maxBytes;
        error = { kind: 'too-large', message: `response body exceeded the ${options.maxBytes}-byte cap; stopped reading` };
        break;
      }
      chunks.push(chunk);
      kept += chunk.length;
      if (options.gate && !release && kept > options.gate.thresholdBytes) release = await options.gate.acquire(options.signal);
    }
  } catch (e) {
    const cause = options.signal?.aborted ? (options.signal.reason ?? e) : (sourceError ?? e);
    error = decoder && sourceError === undefined && !options.signal?.aborted
      ? { kind: 'decode', message: `the ${options.contentEncoding} body does not decode: ${(e as Error).message}`, cause }
      : { kind: 'stream', message: (cause as Error)?.message ?? String(cause), cause };
  } finally {
    release?.();
    options.signal?.removeEventListener('abort', onAbort);
    // Whatever ended the loop, nothing reads on: free the socket and the decoder now.
    if (error) stop();
  }
  if (error) {
    // Only the excerpt outlives a body that did not complete: the chunks go with this frame.
    const excerpt = head(chunks, excerptBytes);
    return { body: excerpt, excerpt, bytes, complete: false, error };
  }
  const all = Buffer.concat(chunks, kept);
  return { body: all, excerpt: all.length > excerptBytes ? head([all], excerptBytes) : all, bytes, complete: true };
}

/** A copy of the first `max` bytes (a copy, so keeping it does not keep the whole body alive). */
function head(chunks: Buffer[], max: number): Buffer {
  const out = Buffer.allocUnsafe(Math.min(max, chunks.reduce((n, c) => n + c.length, 0)));
  let at = 0;
  for (const c of chunks) {
    if (at >= out.length) break;
    at += c.copy(out, at, 0, Math.min(c.length, out.length - at));
  }
  return out;
}
