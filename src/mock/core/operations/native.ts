// POST /inference/images/generate (generateNativeImage, ref 000): the generation in ScaiGrid's
// `{status, data}` envelope; errors in the native envelope where the profile says so.
import type { RequestContext } from '../request-context.js';
import type { Scenario } from '../gate/scenarios.js';
import type { MockState } from '../state.js';
import { jsonGeneration } from './generations.js';

export function native(state: MockState, ctx: RequestContext, scenario: Scenario | undefined): Promise<Response> {
  return jsonGeneration(state, ctx, 'generateNativeImage', { envelope: 'native', stream: 'image_generation' }, scenario);
}
