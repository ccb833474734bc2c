// Streaming multipart/form-data reader for the edits and variations endpoints (busboy). The body is
// counted before busboy sees it, so a request over `maxBytes` is refused after at most one more
// socket chunk, never buffered whole. Every failure is a MultipartError carrying an error kind of
// the spec (`x-error` in components/examples.yaml) and its template vars; nothing here throws past
// the returned promise.
//
// After a failure the rest of the body is read and discarded (`req.resume()`), so the caller can
// always write its error response and the socket never hangs. For `request_too_large` the caller
// should also send `connection: close`: Node then closes the socket once the 413 is written instead
// of draining a body of unknown length.
import type { IncomingMessage } from 'node:http';
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
export function parseMultipart(req: IncomingMessage, limits: MultipartLimits): Promise<ParsedMultipart> {
  return new Promise<ParsedMultipart>((resolve, reject) => {
    const fields: Record<string, string[]> = Object.create(null);
    const files: Record<string, UploadedFile[]> = Object.create(null);
    let settled = false;
    let received = 0;
    let parser: busboy.Busboy | undefined;

    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxBytes) return fail(tooLarge());
      // write() may fail the parse synchronously (files limit, bad header): then fail() has
      // already resumed the request to drain it, and pausing here would stall the socket.
      if (parser && !parser.write(chunk) && !settled) req.pause();
    };
    const onEnd = () => parser?.end();
    const onError = (err: Error) => fail(malformed('request body', 'a complete request body', `The request body could not be read: ${err.message}.`));
    const onClose = () => {
      if (!req.complete) fail(malformed('truncated request body', 'a complete request body', 'The connection closed before the request body was complete.'));
    };

    function cleanup() {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
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
      // Discard the rest; a listener keeps errors of a dying socket from going unhandled.
      req.on('error', () => {});
      req.resume();
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
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes) return fail(tooLarge());

    const contentType = req.headers['content-type'];
    try {
      if (!contentType || contentType.split(';', 1)[0]!.trim().toLowerCase() !== 'multipart/form-data')
        throw new Error('not multipart/form-data');
      parser = busboy({
        headers: req.headers,
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

    parser.on('drain', () => req.resume());
    parser.on('close', succeed);

    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
