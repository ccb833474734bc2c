// POST /images/generations (createImage), and the JSON generation both generation operations share.
import { answerImages, type AnswerShape } from '../answer/image-answer.js';
import type { RequestContext } from '../request-context.js';
import { error } from '../answer/respond.js';
import type { Scenario } from '../gate/scenarios.js';
import type { MockState } from '../state.js';
import { readRequest } from '../read/read-request.js';
import type { OperationId } from '../../../contract/catalogue.js';

/** A generation from a JSON body: read, checked, answered in `shape`. */
export async function jsonGeneration(state: MockState, ctx: RequestContext, operation: OperationId, shape: AnswerShape, scenario: Scenario | undefined): Promise<Response> {
  const read = await readRequest(state, ctx, operation);
  if (read instanceof Response) return read;
  if (read.media !== 'application/json') throw new Error('readRequest returned a body of another media type');
  const result = state.rules.checkJson(operation, read.schema, read.text);
  if (!result.ok) return error(ctx, result.kind, result.vars);
  return answerImages(state, ctx, result.job, shape, scenario, result.reply);
}

export function generations(state: MockState, ctx: RequestContext, scenario: Scenario | undefined): Promise<Response> {
  return jsonGeneration(state, ctx, 'createImage', { envelope: 'openai', stream: 'image_generation' }, scenario);
}
