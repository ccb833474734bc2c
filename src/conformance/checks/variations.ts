// Variations (multipart, dall-e-2): a square PNG gives valid images; a non-square one is a 400.
import { judgeClientError } from '../assert.js';
import { inputPng } from '../generations.js';
import type { CheckDef } from '../types.js';
import { judgeUpload, notImplementedNote, uploadApplies } from './edits.js';

export const variationChecks: CheckDef[] = [
  {
    id: 'variations.create',
    title: 'A multipart variation of a square PNG gives valid images',
    severity: 'MUST',
    rule: 'spec: createImageVariation (CreateImageVariationRequest); catalogue variations; facts §1.6',
    scope: 'model',
    uses: ['variation'],
    appliesTo: uploadApplies('createImageVariation', 'variations'),
    async run(ctx, t) {
      return judgeUpload(ctx, await ctx.generation(t, 'variation'), 'variation');
    },
  },
  {
    id: 'variations.non-square-rejected',
    title: 'A variation of a non-square image is a 400',
    severity: 'MUST',
    rule: 'catalogue variations.image.square; x-error invalid_image',
    scope: 'model',
    uses: [],
    appliesTo(ctx, t) {
      const ok = uploadApplies('createImageVariation', 'variations')(ctx, t);
      if (ok !== true) return ok;
      return t.model!.variations!.image.square ? true : `catalogue: ${t.model!.id} takes non-square images`;
    },
    async run(ctx, t) {
      const ex = await ctx.send({
        method: 'POST',
        url: ctx.operationUrl('createImageVariation'),
        label: 'variation of a 256x128 image',
        body: {
          kind: 'multipart',
          parts: [
            { name: 'image', filename: 'oblong.png', contentType: 'image/png', data: inputPng(256, 128, 0), describe: '256x128 PNG' },
            { name: 'model', value: t.name },
            { name: 'n', value: '1' },
          ],
        },
      });
      return notImplementedNote(judgeClientError(ex, ctx.validator, { statuses: [400], kind: 'invalid_image', what: 'a 256x128 image' }), ex, 'createImageVariation');
    },
  },
];

