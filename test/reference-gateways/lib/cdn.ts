// An image CDN on its own origin, as gateways that upload to blob storage use: each image gets a URL
// signed with an expiry (`se`, unix seconds) and an HMAC (`sig`), Azure-SAS style (facts §5.19).
// An expired or forged signature is a 403 with an XML body, as blob storage answers.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { listen, sendBytes, target } from './http.js';

export interface Cdn {
  origin: string;
  /** Stores the image; returns its signed URL valid for the CDN's lifetime. */
  put(bytes: Buffer, contentType: string, extension: string): string;
  close(): Promise<void>;
}

export interface CdnOptions {
  ttlSeconds: number;
  /** Path prefix of the blobs (e.g. /images/org-123). */
  prefix?: string;
  /** Defects: 'unsigned' serves any signature; 'wrong-type' serves application/octet-stream; 'missing' answers 404 to every blob. */
  defect?: 'unsigned' | 'wrong-type' | 'missing';
}

export async function startCdn(options: CdnOptions): Promise<Cdn> {
  const secret = randomBytes(32);
  const blobs = new Map<string, { bytes: Buffer; type: string }>();
  const prefix = options.prefix ?? '/blobs';
  const sign = (path: string, se: number) => createHmac('sha256', secret).update(`${path}\n${se}`).digest('base64url');
  const denied = (message: string) =>
    Buffer.from(`<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>${message}</Message></Error>`);

  const server = await listen(
    (req, res) => {
      const url = target(req);
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendBytes(res, 405, Buffer.from('method not allowed'), 'text/plain');
      const blob = blobs.get(url.pathname);
      if (!blob || options.defect === 'missing') return sendBytes(res, 404, Buffer.from('<Error><Code>BlobNotFound</Code></Error>'), 'application/xml');
      const se = Number(url.searchParams.get('se'));
      const sig = Buffer.from(url.searchParams.get('sig') ?? '');
      const want = Buffer.from(sign(url.pathname, se));
      if (options.defect !== 'unsigned') {
        if (sig.length !== want.length || !timingSafeEqual(sig, want)) return sendBytes(res, 403, denied('Signature did not match.'), 'application/xml');
        if (!(se > Date.now() / 1000)) return sendBytes(res, 403, denied('Signature not valid in the specified time frame.'), 'application/xml');
      }
      sendBytes(res, 200, blob.bytes, options.defect === 'wrong-type' ? 'application/octet-stream' : blob.type, {
        headers: { 'cache-control': 'private, max-age=3600', 'x-ms-request-id': randomBytes(8).toString('hex') },
      });
    },
    (res) => sendBytes(res, 500, Buffer.from('<Error><Code>InternalError</Code></Error>'), 'application/xml'),
  );

  return {
    origin: server.origin,
    put(bytes, type, extension) {
      const path = `${prefix}/img-${randomBytes(9).toString('base64url')}.${extension}`;
      blobs.set(path, { bytes, type });
      const se = Math.floor(Date.now() / 1000) + options.ttlSeconds;
      return `${server.origin}${path}?se=${se}&sp=r&sig=${sign(path, se)}`;
    },
    close: server.close,
  };
}
