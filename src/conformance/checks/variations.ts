// Variations (multipart, dall-e-2): a square PNG gives valid images; a non-square one is a 400.
import type { CheckDef } from '../types.js';
import { judgeNonSquareRejected, squareUploadApplies, uploadCheck } from './uploads.js';

export const variationChecks: CheckDef[] = [
  uploadCheck('createImageVariation', 'variation', {
    id: 'variations.create',
    title: 'A multipart variation of a square PNG gives valid images',
    rule: 'spec: createImageVariation (CreateImageVariationRequest); catalogue variations; facts §1.6',
    what: 'variation',
  }),
  {
    id: 'variations.non-square-rejected',
    title: 'A variation of a non-square image is a 400',
    severity: 'MUST',
    rule: 'catalogue variations.image.square; x-error invalid_image',
    scope: 'model',
    uses: [],
    appliesTo: squareUploadApplies('createImageVariation'),
    async run(ctx, t) {
      return judgeNonSquareRejected(ctx, 'createImageVariation', 'variation of a 256x128 image', { model: t.name, n: '1' });
    },
  },
];
