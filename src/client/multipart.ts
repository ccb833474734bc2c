// Multipart bodies as the official SDK sends them: files as named parts with a content type,
// several files of one field as repeated `field[]` parts, numbers and booleans as strings.
import type { ImageData, ImageUpload } from './types.js';
import { FILE_EXTENSION, MIME_TYPE, imageFormat } from './image-format.js';

export type MultipartValue = string | number | boolean | File | File[] | null | undefined;
export type MultipartFields = Record<string, MultipartValue>;

function toBlob(data: ImageData): Blob {
  if (data instanceof Blob) return data;
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  // Blob parts must be backed by a plain ArrayBuffer; copy only when they are not.
  return new Blob([bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice()]);
}

/**
 * A `File` for an upload: the given filename and content type, else the `File`'s own, else
 * `<fallbackName>.<ext>` and the MIME type of the sniffed bytes (servers check both).
 */
export async function toUploadFile(upload: ImageUpload, fallbackName: string): Promise<File> {
  const wrapped = upload instanceof Blob || upload instanceof Uint8Array || upload instanceof ArrayBuffer ? { data: upload } : upload;
  const blob = toBlob(wrapped.data);
  const ownName = blob instanceof File && blob.name !== '' ? blob.name : undefined;
  const needsSniff = !(wrapped.filename ?? ownName) || !(wrapped.contentType ?? blob.type);
  const format = needsSniff ? imageFormat(new Uint8Array(await blob.slice(0, 16).arrayBuffer())) : undefined;
  const filename = wrapped.filename ?? ownName ?? `${fallbackName}.${format ? FILE_EXTENSION[format] : 'bin'}`;
  const type = wrapped.contentType ?? (blob.type || (format ? MIME_TYPE[format] : 'application/octet-stream'));
  return new File([blob], filename, { type });
}

/** Replaces the upload fields of `body` by `File`s (arrays stay arrays). */
export async function withUploadFiles<T extends object>(body: T, uploadFields: readonly string[]): Promise<MultipartFields> {
  const out: MultipartFields = {};
  for (const [key, value] of Object.entries(body)) {
    if (!uploadFields.includes(key)) {
      out[key] = value as MultipartValue;
    } else if (Array.isArray(value)) {
      out[key] = await Promise.all(value.map((v: ImageUpload, i) => toUploadFile(v, `${key}-${i + 1}`)));
    } else if (value !== undefined && value !== null) {
      out[key] = await toUploadFile(value as ImageUpload, key);
    }
  }
  return out;
}

/**
 * openapi-fetch `bodySerializer` for multipart operations. Returning `FormData` lets fetch set
 * `Content-Type: multipart/form-data; boundary=...` itself (setting it by hand loses the boundary).
 * `undefined` and `null` fields are left out, as "not given".
 */
export function toFormData(fields: MultipartFields): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const file of value) form.append(`${key}[]`, file, file.name);
    else if (value instanceof File) form.append(key, value, value.name);
    else if (typeof value === 'object') throw new TypeError(`multipart field '${key}' must be a string, number, boolean or file`);
    else form.append(key, String(value));
  }
  return form;
}
