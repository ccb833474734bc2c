// GET /media/{token} (getMedia): the media proxy behind image URLs. The token is the credential
// (no API key); the image is rendered from the token's inputs, cacheable until it expires.
import { MAX_IMAGE_DIMENSION } from '../../../images/render.js';
import type { RequestContext } from '../request-context.js';
import { bytes, error } from '../answer/respond.js';
import type { MockState } from '../state.js';

export async function media(state: MockState, ctx: RequestContext, token: string): Promise<Response> {
  const found = state.tokens.verify(token);
  if (!found.ok) return error(ctx, found.kind);
  const r = found.render;
  const fits = (v: number) => Number.isInteger(v) && v >= 1 && v <= MAX_IMAGE_DIMENSION;
  if (!fits(r.width) || !fits(r.height) || !Number.isInteger(r.index) || r.index < 0) return error(ctx, 'media_not_found');
  const image = await state.images.bytes(r);
  const maxAge = Math.max(0, found.expiresAt - Math.floor(state.options.now() / 1000));
  return bytes(ctx, 200, `image/${r.format}`, image, ['cache-control', `public, max-age=${maxAge}, immutable`]);
}
