// Public API of the typed client (`imagegen-contract/client`).
export { createImagesClient } from './client.js';
export type { ImagesClient, ImagesClientOptions, MediaDownload } from './client.js';
export { ImagesApiError, ResponseValidationError } from './errors.js';
export type { ErrorEnvelope } from './errors.js';
export { imageBytes, saveImages } from './image-files.js';
export type { ImageItem, ImageBytesOptions, SaveImagesOptions } from './image-files.js';
export { imageFormat } from './image-format.js';
export type { ImageFormat } from './image-format.js';
export { parseServerSentEvents } from './sse.js';
export type { ServerSentEvent } from './sse.js';
export type { SchemaProblem } from '../contract/validator.js';
export type {
  EditJsonRequest,
  EditRequest,
  ErrorResponse,
  GenerateRequest,
  Image,
  ImageData,
  ImageEditStreamEvent,
  ImageGenStreamEvent,
  ImagesResponse,
  ImageUpload,
  Modality,
  Model,
  ModelList,
  NativeErrorResponse,
  NativeGenerateRequest,
  NativeGenerateResult,
  NativeImage,
  RequestOptions,
  VariationRequest,
} from './types.js';
