// The model catalogue's upload rules for edits and variations (`model.edits.image/mask`,
// `model.variations.image` in openapi/models.yaml): formats, byte limits, count, square images, and
// a mask that is a PNG with alpha of the image's size. Formats and dimensions come from the file's
// bytes (sniffImage), never from its name or part Content-Type.
//
// Failures name a spec error kind: `invalid_image` with vars {param, reason} for the template
// "Invalid '{param}': {reason}"; `missing_required_parameter` when no image was sent;
// `unsupported_operation` when the model has no rules for the operation; `unknown_parameter` for a
// mask the operation or model does not take.
import { supportsOperation, type Model, type Upload } from '../../../contract/catalogue.js';
import { sniffImage, type SniffResult } from '../../../images/inspect.js';
import type { UploadedFile } from '../read/multipart.js';

export type UploadOperation = 'createImageEdit' | 'createImageVariation';

export type UploadCheck =
  | { ok: true; width: number; height: number }
  | { ok: false; kind: string; param: string; vars: Record<string, string | number> };

/** The `{operation}` of the unsupported_operation message ("... does not support image variations."). */
const OPERATION_NAMES: Record<UploadOperation, string> = {
  createImageEdit: 'image edits',
  createImageVariation: 'image variations',
};

const FORMAT_NAMES: Record<SniffResult['format'], string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP', gif: 'GIF' };

function listFormats(formats: readonly string[]): string {
  const names = formats.map((f) => FORMAT_NAMES[f as SniffResult['format']] ?? f.toUpperCase());
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/** "a square PNG under 4 MB": what one upload must be. */
function requirement(rule: Upload): string {
  return `a ${rule.square ? 'square ' : ''}${listFormats(rule.formats)} under ${megabytes(rule.maxBytes)}`;
}

/** The size of a file over `limit`, precise enough to show it is over. */
function excess(bytes: number, limit: number): string {
  const rounded = megabytes(bytes);
  return Number.parseFloat(rounded) * 1024 * 1024 > limit ? rounded : `${bytes} bytes`;
}

/** "a 512x256 PNG" (with its size when it is over `limit`). */
function describe(file: UploadedFile, sniffed: SniffResult | null, limit = Infinity): string {
  if (!sniffed) return `a file that is not a recognised image (${file.bytes.length} bytes)`;
  const size = file.bytes.length > limit ? ` of ${excess(file.bytes.length, limit)}` : '';
  return `a ${sniffed.width}x${sniffed.height} ${FORMAT_NAMES[sniffed.format]}${size}`;
}

function invalid(param: string, reason: string): UploadCheck {
  return { ok: false, kind: 'invalid_image', param, vars: { param, reason } };
}

/** Why one file breaks `rule` (undefined when it does not), plus what it sniffed as. */
function fileProblem(file: UploadedFile, rule: Upload, noun: string): { reason?: string; sniffed: SniffResult | null } {
  const sniffed = sniffImage(file.bytes);
  const broken =
    !sniffed ||
    !rule.formats.includes(sniffed.format as Upload['formats'][number]) ||
    file.bytes.length > rule.maxBytes ||
    (rule.square === true && sniffed.width !== sniffed.height);
  return broken ? { reason: `${noun} must be ${requirement(rule)}; got ${describe(file, sniffed, rule.maxBytes)}.`, sniffed } : { sniffed };
}

/** Checks the uploaded image(s) and mask of an edit or variation against the model's catalogue rules. */
export function checkUploads(
  model: Model,
  operation: UploadOperation,
  uploads: { images: UploadedFile[]; mask?: UploadedFile },
): UploadCheck {
  const rules = operation === 'createImageEdit' ? model.edits : model.variations;
  if (!rules || !supportsOperation(model, operation))
    return { ok: false, kind: 'unsupported_operation', param: 'model', vars: { model: model.id, operation: OPERATION_NAMES[operation] } };

  const { images, mask } = uploads;
  if (images.length === 0) return { ok: false, kind: 'missing_required_parameter', param: 'image', vars: { param: 'image' } };

  // Variations take one image; the catalogue gives a count only where several are allowed.
  const maxCount = rules.image.maxCount ?? 1;
  if (images.length > maxCount)
    return invalid('image', `at most ${maxCount} image${maxCount === 1 ? '' : 's'} may be uploaded for model '${model.id}'; got ${images.length}.`);

  let first: SniffResult | undefined;
  for (const [i, file] of images.entries()) {
    const noun = images.length > 1 ? `uploaded image ${i + 1}` : 'uploaded image';
    const { reason, sniffed } = fileProblem(file, rules.image, noun);
    if (reason) return invalid('image', reason);
    first ??= sniffed!;
  }
  const image = first!;

  if (mask) {
    const maskRule: Upload | undefined = operation === 'createImageEdit' ? model.edits?.mask : undefined;
    if (!maskRule) return { ok: false, kind: 'unknown_parameter', param: 'mask', vars: { param: 'mask' } };
    const { reason, sniffed } = fileProblem(mask, maskRule, 'uploaded mask');
    if (reason) return invalid('mask', reason);
    // Fully transparent pixels mark the area to edit: a mask without alpha cannot mark anything.
    if (sniffed!.hasAlpha !== true)
      return invalid('mask', `uploaded mask must have an alpha channel (transparent pixels mark the area to edit); got ${describe(mask, sniffed)} without one.`);
    if (maskRule.sameSizeAsImage && (sniffed!.width !== image.width || sniffed!.height !== image.height))
      return invalid('mask', `uploaded mask must have the same dimensions as the image (${image.width}x${image.height}); got ${sniffed!.width}x${sniffed!.height}.`);
  }

  return { ok: true, width: image.width, height: image.height };
}
