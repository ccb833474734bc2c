// Public API of the image capability: render request-tied pictures, inspect returned images.
export { encodePng, encodePngRuns, crc32 } from './png.js';
export type { PngOptions, RowRun } from './png.js';
export { describePicture, paintRows, rasterize, SIGNATURE_BITS } from './pattern.js';
export type { Picture, PatternKind, Rgb, PaintedRows } from './pattern.js';
export { renderImage, renderPng, MAX_IMAGE_DIMENSION } from './render.js';
export type { ImageFormat, PictureRequest, RenderRequest } from './render.js';
export { sniffImage, decodeImage, formatFromMime } from './inspect.js';
export type { SniffedFormat, SniffResult, DecodeResult, DecodeOptions } from './inspect.js';
export { decodePlainBase64 } from './base64.js';
export type { Base64Result } from './base64.js';
