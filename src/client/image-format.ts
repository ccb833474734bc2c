// The format of image bytes from their magic numbers: enough to name a file or label an upload.
// (src/images/inspect.ts parses full headers but loads sharp, which a client must not need.)

export type ImageFormat = 'png' | 'jpeg' | 'webp';

const startsWith = (b: Uint8Array, at: number, bytes: readonly number[]) =>
  b.length >= at + bytes.length && bytes.every((v, i) => b[at + i] === v);

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];

/** png, jpeg or webp from the first bytes; undefined for anything else. */
export function imageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, 0, PNG)) return 'png';
  if (startsWith(bytes, 0, JPEG)) return 'jpeg';
  if (startsWith(bytes, 0, RIFF) && startsWith(bytes, 8, WEBP)) return 'webp';
  return undefined;
}

export const FILE_EXTENSION: Record<ImageFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };
export const MIME_TYPE: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };
