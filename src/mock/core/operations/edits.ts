// POST /images/edits (createImageEdit): multipart with image / image[] (+ mask), or JSON with
// images by URL or file id (GPT image models).
import { answerImages } from '../answer/image-answer.js';
import type { RequestContext } from '../request-context.js';
import { error } from '../answer/respond.js';
import type { Scenario } from '../gate/scenarios.js';
import type { MockState } from '../state.js';
import { readRequest } from '../read/read-request.js';

export async function edits(state: MockState, ctx: RequestContext, scenario: Scenario | undefined): Promise<Response> {
  const read = await readRequest(state, ctx, 'createImageEdit');
  if (read instanceof Response) return read;
  const result =
    read.media === 'multipart/form-data'
      ? state.rules.check({ operation: 'createImageEdit', schema: read.schema, body: read.body, uploads: read.uploads })
      : state.rules.checkJson('createImageEdit', read.schema, read.text);
  if (!result.ok) return error(ctx, result.kind, result.vars);
  return answerImages(state, ctx, result.job, { envelope: 'openai', stream: 'image_edit' }, scenario, result.reply);
}
