// POST /images/variations (createImageVariation): multipart with one image.
import { answerImages } from '../answer/image-answer.js';
import type { RequestContext } from '../request-context.js';
import { error } from '../answer/respond.js';
import type { Scenario } from '../gate/scenarios.js';
import type { MockState } from '../state.js';
import { readRequest } from '../read/read-request.js';

export async function variations(state: MockState, ctx: RequestContext, scenario: Scenario | undefined): Promise<Response> {
  const read = await readRequest(state, ctx, 'createImageVariation');
  if (read instanceof Response) return read;
  if (read.media !== 'multipart/form-data') throw new Error('readRequest returned a body of another media type');
  const result = state.rules.check({ operation: 'createImageVariation', schema: read.schema, body: read.body, uploads: read.uploads });
  if (!result.ok) return error(ctx, result.kind, result.vars);
  return answerImages(state, ctx, result.job, { envelope: 'openai', stream: 'image_generation' }, scenario);
}
