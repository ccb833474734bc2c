// Request and response types of the typed client, taken from the generated spec types
// (generated/openapi.d.ts). Only the multipart inputs are written out here, because file parts are
// Blobs in JavaScript but `string` in the generated types.
import type { components, operations } from '../../generated/openapi.js';

type Schemas = components['schemas'];

/** The JSON body of a 2xx answer of an operation. */
export type SuccessBody<Op extends keyof operations> = operations[Op]['responses'] extends { 200: { content: { 'application/json': infer B } } }
  ? B
  : never;

export type ImagesResponse = Schemas['ImagesResponse'];
export type Image = Schemas['Image'];
export type ModelList = Schemas['ModelList'];
export type Model = Schemas['Model'];
export type Modality = Schemas['Modality'];
export type ErrorResponse = Schemas['ErrorResponse'];
export type NativeErrorResponse = Schemas['NativeErrorResponse'];
export type NativeImage = Schemas['NativeImage'];
/** What `generateNative` returns: the `data` of ref 000's `{status: "ok", data}` envelope. */
export type NativeGenerateResult = Schemas['NativeGenerateResponse']['data'];
export type NativeGenerateRequest = Schemas['NativeGenerateRequest'];

/** `POST /images/generations` body (JSON). `stream: true` is only taken by `stream()`. */
export type GenerateRequest = Schemas['CreateImageRequest'];
/** `POST /images/edits` JSON body (images by URL or file id). */
export type EditJsonRequest = Schemas['EditImageJsonRequest'];

/**
 * Stream events the iterators yield. The spec's `ImageGenStreamEvent` / `ImageEditStreamEvent` also
 * include the `ErrorResponse` branch; the client throws that one as `ImagesApiError` instead.
 */
export type ImageGenStreamEvent = Exclude<Schemas['ImageGenStreamEvent'], Schemas['ErrorResponse']>;
export type ImageEditStreamEvent = Exclude<Schemas['ImageEditStreamEvent'], Schemas['ErrorResponse']>;

/** Image bytes for a multipart upload. A `File` keeps its name and type. */
export type ImageData = Blob | Uint8Array | ArrayBuffer;
/** An upload, optionally with the filename and content type to send (else taken from the bytes). */
export type ImageUpload = ImageData | { data: ImageData; filename?: string; contentType?: string };

/**
 * `POST /images/edits` multipart fields. The generated `CreateImageEditRequest` is `unknown`
 * (openapi-typescript turns its `anyOf: [{required: [image]}, {required: ['image[]']}]` into
 * `unknown`), so the fields are listed here with the spec's value types; test/client checks that the
 * list matches the schema's properties. Several images are sent as `image[]` parts, as the SDK does.
 */
export interface EditRequest {
  image: ImageUpload | ImageUpload[];
  mask?: ImageUpload;
  prompt: string;
  model?: Schemas['ModelId'];
  n?: number;
  size?: Schemas['ImageSize'];
  quality?: Schemas['ImageQuality'];
  response_format?: Schemas['ResponseFormat'];
  output_format?: Schemas['OutputFormat'];
  output_compression?: number;
  background?: Schemas['Background'];
  input_fidelity?: Schemas['InputFidelity'];
  stream?: boolean;
  partial_images?: number;
  user?: string;
}

/** `POST /images/variations` multipart fields. */
export type VariationRequest = Omit<Schemas['CreateImageVariationRequest'], 'image'> & { image: ImageUpload };

/** Per-call options of every client method. */
export interface RequestOptions {
  /** Aborts the request (and the stream being read). */
  signal?: AbortSignal;
  /** Extra headers for this call (e.g. Prism's `Prefer: code=429`). */
  headers?: Record<string, string>;
}
