// POST /inference/images/generate (generateNativeImage, ref 000): the generation in ScaiGrid's
// `{status, data}` envelope; errors in the native envelope where the profile says so.
import { answerImages } from '../answer/image-answer.js';
import type { RequestContext } from '../request-context.js';
import { error } from '../answer/respond.js';
import type { Scenario } from '../gate/scenarios.js';
import type { MockState } from '../state.js';
import { readRequest } from '../read/read-request.js';

export async function native(state: MockState, ctx: RequestContext, scenario: Scenario | undefined): Promise<Response> {
  const read = await readRequest(state, ctx, 'generateNativeImage');
  if (read instanceof Response) return read;
  if (read.media !== 'application/json') throw new Error('readRequest returned a body of another media type');
  const result = state.rules.checkJson('generateNativeImage', read.schema, read.text);
  if (!result.ok) return error(ctx, result.kind, result.vars);
  return answerImages(state, ctx, result.job, { envelope: 'native', stream: 'image_generation' }, scenario, result.reply);
}
