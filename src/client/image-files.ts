// Image bytes out of a response item (`b64_json` decoded, or `url` downloaded) and saving a whole
// response to files named by what the bytes are.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePlainBase64 } from '../images/base64.js';
import { ImagesApiError } from './errors.js';
import { FILE_EXTENSION, imageFormat } from './image-format.js';

/** Anything carrying one image: an `Image`, a native image (nulls), or a stream event. */
export interface ImageItem {
  b64_json?: string | null;
  url?: string | null;
}

export interface ImageBytesOptions {
  /** Used to download `url` items (default: global fetch). No API key is sent: media URLs are signed. */
  fetch?: (request: Request) => Promise<Response>;
  signal?: AbortSignal;
}

/** The image's bytes: `b64_json` decoded (strictly: plain base64 as the contract says), or `url` downloaded. */
export async function imageBytes(item: ImageItem, options: ImageBytesOptions = {}): Promise<Uint8Array> {
  if (typeof item.b64_json === 'string' && item.b64_json !== '') {
    const decoded = decodePlainBase64(item.b64_json);
    if (!decoded.ok) throw new Error(`b64_json is not plain base64: ${decoded.reason}`);
    return new Uint8Array(decoded.bytes.buffer, decoded.bytes.byteOffset, decoded.bytes.byteLength);
  }
  if (typeof item.url === 'string' && item.url !== '') return (await download(item.url, options)).bytes;
  throw new TypeError('the image has neither b64_json nor url');
}

/** GETs a URL and returns its bytes; a non-2xx answer throws `ImagesApiError`. */
export async function download(url: string, options: ImageBytesOptions = {}): Promise<{ bytes: Uint8Array; contentType: string | null }> {
  const fetcher = options.fetch ?? ((request: Request) => fetch(request));
  const response = await fetcher(new Request(url, { method: 'GET', ...(options.signal ? { signal: options.signal } : {}) }));
  if (!response.ok) {
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    throw new ImagesApiError({ status: response.status, body, headers: response.headers });
  }
  return { bytes: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
}

export interface SaveImagesOptions extends ImageBytesOptions {
  /** File name prefix (default `image`): files are `<prefix>-<index>.<png|jpg|webp|bin>`. */
  prefix?: string;
}

/**
 * Writes every image of `response.data` to `dir` (created if missing) and returns the paths, in
 * order. The extension comes from the bytes' magic numbers, not from what the server claimed;
 * bytes that are no PNG, JPEG or WebP are written as `.bin`.
 */
export async function saveImages(response: { data: readonly ImageItem[] }, dir: string, options: SaveImagesOptions = {}): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const prefix = options.prefix ?? 'image';
  const paths: string[] = [];
  for (const [index, item] of response.data.entries()) {
    const bytes = await imageBytes(item, options);
    const format = imageFormat(bytes);
    const path = join(dir, `${prefix}-${index}.${format ? FILE_EXTENSION[format] : 'bin'}`);
    await writeFile(path, bytes);
    paths.push(path);
  }
  return paths;
}
