// Edits (multipart, facts §6.16): `image[]` x2 + mask and a single `image` are accepted and give
// valid images, every `image[]` is used, an edit naming no optional field gets the catalogue's
// defaults; dall-e-2 refuses a non-square image; 404/501 is "endpoint not implemented".
import { body, fail, generationFailure, pass, skip } from '../assert.js';
import type { Generation } from '../context.js';
import { lowestQuality } from '../generations.js';
import type { CheckDef } from '../types.js';
import { allOf } from './applicability.js';
import { generationCheck } from './generation-check.js';
import { judgeEcho } from './success.js';
import sharp from 'sharp';
import { judgeNonSquareRejected, judgeUpload, judgeUploadRejected, squareUploadApplies, uploadApplies, uploadCheck } from './uploads.js';
import { inputPng } from '../generations.js';
import type { RunContext } from '../context.js';
import type { Target } from '../types.js';

/** usage.input_tokens_details.image_tokens of an answer, or why it cannot be read. */
function inputImageTokens(gen: Generation): number | string {
  const usage = body(gen).usage as { input_tokens_details?: { image_tokens?: unknown } } | undefined;
  if (usage === undefined) return 'no usage';
  const tokens = usage?.input_tokens_details?.image_tokens;
  return Number.isInteger(tokens) ? (tokens as number) : `usage.input_tokens_details.image_tokens is ${JSON.stringify(tokens)}`;
}

export const editChecks: CheckDef[] = [
  uploadCheck('createImageEdit', 'edit-single', {
    id: 'edits.single-image',
    title: 'A multipart edit with one `image` (and a mask where the model takes one) gives valid images',
    rule: 'spec: createImageEdit multipart (CreateImageEditRequest); catalogue edits; facts §6.16',
    what: 'edit with one image',
  }),
  uploadCheck('createImageEdit', 'edit-multi', {
    id: 'edits.multi-image',
    title: 'A multipart edit with `image[]` x2 + mask (as the SDKs send it) gives valid images',
    rule: 'spec: CreateImageEditRequest image[]; catalogue edits.image.maxCount; facts §6.16, §5.5',
    what: 'edit with image[] x2 + mask',
  }),
  {
    id: 'edits.every-image-used',
    title: 'A multi-image edit uses every `image[]`: it reports more input image tokens than the one-image edit',
    severity: 'MUST',
    rule: 'facts §5.4 (BerriAI/litellm#14488: only the first image was used); catalogue output.usage; input image tokens are counted per input image (spec ImageGenUsage input_tokens: text and images)',
    scope: 'model',
    uses: ['edit-multi', 'edit-single'],
    appliesTo: allOf(
      uploadApplies('createImageEdit'),
      (_ctx, t) => ((t.model!.edits!.image.maxCount ?? 1) >= 2 ? true : `catalogue: ${t.model!.id} edits take one image`),
      (_ctx, t) => (t.model!.output.usage ? true : `catalogue: ${t.model!.id} reports no usage (its input image tokens cannot be compared)`),
    ),
    async run(ctx, t) {
      const [multi, single] = await Promise.all([ctx.generation(t, 'edit-multi'), ctx.generation(t, 'edit-single')]);
      const expected = 'usage.input_tokens_details.image_tokens of the edit with image[] x2 + mask above that of the edit with one image + mask';
      const failure = generationFailure(multi, expected);
      if (failure) return failure;
      if (generationFailure(single, expected)) return skip(`the one-image edit failed (edits.single-image reports it): nothing to compare with`, single.exchange);
      const [two, one] = [inputImageTokens(multi), inputImageTokens(single)];
      if (typeof two === 'string') return fail(expected, `edit with image[] x2: ${two}`, [multi.exchange, single.exchange]);
      if (typeof one === 'string') return fail(expected, `edit with one image: ${one}`, [single.exchange, multi.exchange]);
      if (two <= one)
        return fail(
          expected,
          `image_tokens ${two} for two input images, ${one} for one: the second image[] was not used`,
          [multi.exchange, single.exchange],
          'Gateways that forward only the first image[] (BerriAI/litellm#14488) edit one image silently; the upstream counts the input images it received.',
        );
      return pass(`image_tokens ${two} for two input images, ${one} for one`, multi.exchange, single.exchange);
    },
  },
  generationCheck('edit-defaults', {
    id: 'edits.defaults',
    title: 'An edit naming only model, prompt and image (the minimal SDK call) gets the catalogue defaults: default size, echoed default quality',
    severity: 'MUST',
    rule: 'spec: CreateImageEditRequest (size, quality, n optional); catalogue size.default, params.quality.default (+ resolves), n.default; facts §4.4 (new-api defaults edits to quality "standard")',
    appliesTo: uploadApplies('createImageEdit'),
    async judge(ctx, gen, t) {
      const outcome = await judgeUpload(ctx, gen, 'edit with only model, prompt and image');
      if (outcome.status !== 'pass' || !t.model!.output.echo.length) return outcome;
      const echo = judgeEcho(t.model!, gen);
      return echo.status === 'fail' ? fail(echo.expected, echo.observed, [gen.exchange]) : pass(`${outcome.observed}; ${echo.observed}`, gen.exchange);
    },
  }),
  {
    id: 'edits.non-square-rejected',
    title: 'An edit with a non-square image is a 400 for models that need square images (dall-e-2)',
    severity: 'MUST',
    rule: 'catalogue edits.image.square; x-error invalid_image; facts §6.16',
    scope: 'model',
    uses: [],
    appliesTo: squareUploadApplies('createImageEdit'),
    async run(ctx, t) {
      return judgeNonSquareRejected(ctx, 'createImageEdit', 'edit with a 256x128 image', editFields(t));
    },
  },
  {
    id: 'edits.format-rejected',
    title: 'An edit with a JPEG image is a 400 for models that take PNG only (dall-e-2)',
    severity: 'MUST',
    rule: 'catalogue edits.image.formats; x-error invalid_image; facts §1.6 (dall-e-2: a square PNG)',
    scope: 'model',
    uses: [],
    appliesTo: allOf(uploadApplies('createImageEdit'), (_ctx, t) => (t.model!.edits!.image.formats.includes('jpeg') ? `catalogue: ${t.model!.id} edits take JPEG` : true)),
    async run(ctx, t) {
      const e = 256;
      const jpeg = await sharp(inputPng(e, e, 0)).jpeg({ quality: 80 }).toBuffer();
      const files = [{ name: 'image', filename: 'image.jpg', contentType: 'image/jpeg', data: jpeg, describe: `${e}x${e} JPEG` }];
      return judgeUploadRejected(ctx, 'createImageEdit', 'edit with a JPEG image', files, editFields(t), `a ${e}x${e} JPEG for ${t.name}`);
    },
  },
  {
    id: 'edits.mask-size-mismatch',
    title: 'An edit whose mask has other dimensions than the image is a 400',
    severity: 'MUST',
    rule: 'catalogue edits.mask.sameSizeAsImage; x-error invalid_image; facts §1.6 (the mask must have the same dimensions as the image)',
    scope: 'model',
    uses: [],
    appliesTo: allOf(uploadApplies('createImageEdit'), (_ctx, t) => (t.model!.edits!.mask?.sameSizeAsImage ? true : `catalogue: ${t.model!.id} takes no mask of the image's size`)),
    async run(ctx: RunContext, t: Target) {
      const files = [
        { name: 'image', filename: 'image.png', contentType: 'image/png', data: inputPng(256, 256, 0), describe: '256x256 PNG' },
        { name: 'mask', filename: 'mask.png', contentType: 'image/png', data: inputPng(128, 128, 1, true), describe: '128x128 PNG mask' },
      ];
      return judgeUploadRejected(ctx, 'createImageEdit', 'edit with a 128x128 mask for a 256x256 image', files, editFields(t), 'a 128x128 mask for a 256x256 image');
    },
  },
];

/** The text fields of a cheap edit request for the target. */
function editFields(t: Target): Record<string, string> {
  const fields: Record<string, string> = { model: t.name, prompt: 'Add a small blue sphere', n: '1' };
  const q = lowestQuality(t.model);
  if (q) fields.quality = q;
  return fields;
}
