// POST /images/generations (createImage).
import { answerImages } from '../answer/image-answer.js';
import type { RequestContext } from '../request-context.js';
import { sendError } from '../answer/respond.js';
import type { Scenario } from '../gate/scenarios.js';
import type { MockState } from '../state.js';
import { readRequest } from '../read/read-request.js';

export async function generations(state: MockState, ctx: RequestContext, scenario: Scenario | undefined): Promise<void> {
  const read = await readRequest(state, ctx, 'createImage');
  if (!read) return;
  if (read.media !== 'application/json') return;
  const result = state.rules.checkJson('createImage', read.schema, read.text);
  if (!result.ok) return sendError(ctx, result.kind, result.vars);
  await answerImages(state, ctx, result.job, { envelope: 'openai', stream: 'image_generation' }, scenario, result.reply);
}
