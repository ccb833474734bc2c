// Answering a valid image job: scenario (failure on demand), latency with progress events, then
// the images as JSON (OpenAI or native envelope) or as an event stream.
import type { ProgressRun } from './progress.js';
import type { RequestContext } from './request-context.js';
import type { ImageJob } from './request-rules.js';
import { extrasOf, revisedPrompt } from './response-extras.js';
import { sendJsonText } from './respond.js';
import { sendScenarioError } from './scenario-answer.js';
import { isRetry, scenarioFromPrompt, type Scenario } from './scenarios.js';
import { publicBase, type MockState } from './state.js';
import { streamImages, type StreamPrefix } from './streaming.js';
import { wait } from './timing.js';

export interface AnswerShape {
  envelope: 'openai' | 'native';
  stream: StreamPrefix;
}

/** Progress steps while waiting: about one every 50 ms, at most 10. */
async function waitWithProgress(ctx: RequestContext, ms: number, run: ProgressRun | undefined): Promise<boolean> {
  if (!run) return wait(ctx, ms);
  const steps = Math.min(10, Math.max(1, Math.floor(ms / 50)));
  for (let s = 1; s <= steps; s++) {
    if (!(await wait(ctx, ms / steps))) return false;
    run.step(Math.floor((100 * s) / (steps + 1)));
  }
  return true;
}

/** The last body made for a job (the memoised result of a repeated request), reusable within its second. */
// Only small bodies are kept (a few KB for URLs and small images), so the memo stays a few MB at most.
const MAX_REUSED_BODY = 64 * 1024;
const lastBody = new WeakMap<ImageJob, { second: number; base: string; envelope: string; text: string }>();

export async function answerImages(state: MockState, ctx: RequestContext, job: ImageJob, shape: AnswerShape, headerScenario: Scenario | undefined): Promise<void> {
  let scenario = headerScenario ?? scenarioFromPrompt(job.prompt);
  if (scenario?.once && isRetry(ctx.req)) scenario = undefined;

  const run = state.progress && ctx.apiKey !== undefined
    ? state.progress.begin({ requestId: ctx.requestId, apiKey: ctx.apiKey, ...(ctx.header('x-progress-id') ? { progressId: ctx.header('x-progress-id')!.slice(0, 128) } : {}), model: job.model.id, images: job.n })
    : undefined;
  run?.step(0);

  if (scenario && !scenario.slowMs) {
    const error = sendScenarioError(state, ctx, scenario, job.model);
    run?.fail(error);
    return;
  }
  const delay = state.options.latencyMs + (scenario?.slowMs ?? 0);

  if (job.stream) return streamImages(state, ctx, job, shape.stream, delay, run);

  if (!(await waitWithProgress(ctx, delay, run))) {
    run?.fail({ code: null, message: 'The client closed the connection.' });
    return;
  }
  const base = publicBase(state, ctx);
  const created = Math.floor(state.options.now() / 1000);
  // Bodies with per-request fields (the perf block) are never reused.
  const reusable = !state.profile.extras.perf;
  const last = reusable ? lastBody.get(job) : undefined;
  if (last && last.second === created && last.base === base && last.envelope === shape.envelope) {
    sendJsonText(ctx, 200, last.text);
    run?.complete();
    return;
  }
  const revise = job.model.output.revisedPrompt;
  const revised = revise ? revisedPrompt(job.prompt) : undefined;
  const data: Array<Record<string, unknown>> = [];
  for (let index = 0; index < job.n; index++) {
    const inputs = state.images.inputs(job, job.renderPrompt, index);
    let url: string | null = null;
    let b64: string | null = null;
    if (job.responseFormat === 'url') url = `${base}/media/${state.tokens.sign(inputs, state.options.urlTtlSeconds).token}`;
    else b64 = await state.images.base64(inputs);
    if (shape.envelope === 'native') data.push({ url, b64_json: b64, revised_prompt: revised ?? null });
    else data.push({ ...(url !== null ? { url } : { b64_json: b64 }), ...(revised !== undefined ? { revised_prompt: revised } : {}) });
  }
  let text: string;
  if (shape.envelope === 'native') {
    const metadata = state.profile.extras.metadata && job.metadata ? { metadata: job.metadata } : {};
    text = JSON.stringify({ status: 'ok', data: { created, data, ...metadata } });
  } else {
    text = JSON.stringify({ created, data, ...extrasOf(job, state.profile, ctx.requestId, ctx.elapsedMs()) });
  }
  if (reusable && text.length <= MAX_REUSED_BODY) lastBody.set(job, { second: created, base, envelope: shape.envelope, text });
  sendJsonText(ctx, 200, text);
  run?.complete();
}
