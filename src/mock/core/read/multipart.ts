// Streaming multipart/form-data reader for the edits and variations endpoints (busboy), fed from a
// Web Request's body stream. The body is counted before busboy sees it, so a request over
// `maxBytes` is refused after at most one more chunk, never buffered whole. Every failure is a
// MultipartError carrying an error kind of the spec (`x-error` in components/examples.yaml) and
// its template vars; nothing here throws past the returned promise.
//
// After a failure the body stream is cancelled (the node adapter then reads and discards the rest,
// so the socket never hangs). For `request_too_large` the caller should also send
// `connection: close`, so the connection closes once the 413 is written instead of draining a body
// of unknown length.
import busboy from 'busboy';

export interface UploadedFile {
  /** The form field name as sent (`image`, `image[]`, `mask`). */
  field: string;
  filename: string;
  /** The part's Content-Type (busboy's default `text/plain` when the part has none). */
  contentType: string;
  bytes: Buffer;
}

export interface MultipartLimits {
  /** Whole request body, boundaries included. */
  maxBytes: number;
  /** File parts, all fields together. */
  maxFiles: number;
  /** One text field's value. */
  maxFieldBytes: number;
}

export interface ParsedMultipart {
  /** Text fields by name as sent, values in order. */
  fields: Record<string, string[]>;
  /** File parts by name as sent (`image` and `image[]` are kept apart), in order. */
  files: Record<string, UploadedFile[]>;
}

export class MultipartError extends Error {
  constructor(
    readonly kind: string,
    readonly param: string | null,
    readonly vars: Record<string, string | number>,
    message: string,
  ) {
    super(message);
    this.name = 'MultipartError';
  }
}

const FORM_DATA = "'multipart/form-data'";

/** A value shown inside an error message: one line, at most `max` characters. */
function preview(value: string, max = 40): string {
  const line = value.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max)}...` : line;
}

function malformed(value: string, allowed: string, message: string): MultipartError {
  return new MultipartError('invalid_value', null, { value, allowed, message }, message);
}

/** Refusals of the Content-Type header itself, before any body byte is read. */
function contentTypeError(contentType: string | undefined, cause: Error): MultipartError {
  const mediaType = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (mediaType !== 'multipart/form-data') {
    const value = contentType ?? '';
    return new MultipartError(
      'unsupported_media_type',
      null,
      { value, allowed: FORM_DATA },
      `Unsupported Content-Type '${value}': this endpoint expects ${FORM_DATA}.`,
    );
  }
  return malformed(
    contentType ?? '',
    "'multipart/form-data; boundary=...'",
    `The multipart/form-data Content-Type has no usable boundary parameter (${cause.message}).`,
  );
}

/** Reads a multipart/form-data request body within `limits`. */
export function parseMultipart(request: Request, limits: MultipartLimits): Promise<ParsedMultipart> {
  return new Promise<ParsedMultipart>((resolve, reject) => {
    const fields: Record<string, string[]> = Object.create(null);
    const files: Record<string, UploadedFile[]> = Object.create(null);
    let settled = false;
    let received = 0;
    let parser: busboy.Busboy | undefined;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let drained: (() => void) | undefined;

    function cleanup() {
      if (parser) {
        parser.removeAllListeners();
        parser.on('error', () => {}); // a late busboy error after we gave up must not crash the process
        parser.destroy();
      }
    }

    function fail(error: MultipartError) {
      if (settled) return;
      settled = true;
      cleanup();
      // Stop reading; the adapter discards the rest.
      void reader?.cancel().catch(() => {});
      drained?.();
      reject(error);
    }

    function succeed() {
      if (settled) return;
      settled = true;
      cleanup();
      resolve({ fields, files });
    }

    function tooLarge() {
      return new MultipartError(
        'request_too_large',
        null,
        { max: limits.maxBytes },
        `Request body is too large: the limit is ${limits.maxBytes} bytes.`,
      );
    }

    // A declared length over the limit is refused before reading anything.
    const declared = Number(request.headers.get('content-length') ?? undefined);
    if (Number.isFinite(declared) && declared > limits.maxBytes) return fail(tooLarge());

    const contentType = request.headers.get('content-type') ?? undefined;
    try {
      if (!contentType || contentType.split(';', 1)[0]!.trim().toLowerCase() !== 'multipart/form-data')
        throw new Error('not multipart/form-data');
      parser = busboy({
        headers: { 'content-type': contentType },
        defParamCharset: 'utf8', // filenames as browsers and the SDKs send them
        // busboy flags a value as truncated once it reaches fieldSize, so allow one byte more than the limit.
        limits: { files: limits.maxFiles, fieldSize: limits.maxFieldBytes + 1 },
      });
    } catch (err) {
      return fail(contentTypeError(contentType, err as Error));
    }

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        const message = `The form field '${name}' is longer than ${limits.maxFieldBytes} bytes.`;
        return fail(
          new MultipartError(
            'invalid_value',
            name,
            { param: name, value: preview(value), allowed: `a value of at most ${limits.maxFieldBytes} bytes`, max: limits.maxFieldBytes, message },
            message,
          ),
        );
      }
      (fields[name] ??= []).push(value);
    });

    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', () => {}); // reported by the parser's own 'error' ('Unexpected end of file')
      stream.on('end', () => {
        (files[name] ??= []).push({ field: name, filename: info.filename ?? '', contentType: info.mimeType, bytes: Buffer.concat(chunks) });
      });
    });

    parser.on('filesLimit', () => {
      const message = `Too many files: at most ${limits.maxFiles} may be uploaded.`;
      fail(
        new MultipartError(
          'invalid_value',
          'image',
          { param: 'image', value: `more than ${limits.maxFiles} files`, allowed: `at most ${limits.maxFiles} image files`, max: limits.maxFiles, message },
          message,
        ),
      );
    });

    parser.on('error', (err: Error) => {
      const message = /end of (form|file)/i.test(err.message)
        ? `The multipart body ended before its closing boundary (${err.message}).`
        : `The multipart body is malformed (${err.message}).`;
      fail(malformed('multipart body', `a well-formed ${FORM_DATA} body`, message));
    });

    parser.on('drain', () => drained?.());
    parser.on('close', succeed);

    const body = request.body;
    if (!body) {
      parser.end();
      return;
    }
    reader = body.getReader();
    const pump = async (): Promise<void> => {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader!.read();
        } catch {
          return fail(malformed('truncated request body', 'a complete request body', 'The connection closed before the request body was complete.'));
        }
        if (settled) return;
        if (chunk.done) {
          parser!.end();
          return;
        }
        received += chunk.value.length;
        if (received > limits.maxBytes) return fail(tooLarge());
        // write() may fail the parse synchronously (files limit, bad header): then fail() has run.
        const more = parser!.write(chunk.value);
        if (settled) return;
        if (!more) await new Promise<void>((r) => (drained = r));
        drained = undefined;
      }
    };
    void pump();
  });
}
