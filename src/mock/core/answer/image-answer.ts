// Answering a valid image job: scenario (failure on demand), latency with progress events, then
// the images as JSON (OpenAI or native envelope) or as an event stream.
import type { ProgressRun } from './progress.js';
import type { RequestContext } from '../request-context.js';
import type { ImageJob, ReplySlot } from '../rules/request-rules.js';
import { extrasOf, revisedPrompt } from './response-extras.js';
import { clientGone, jsonText } from './respond.js';
import { scenarioError } from './scenario-answer.js';
import { scenarioFromPrompt, type Scenario } from '../gate/scenarios.js';
import { publicBase, type MockState } from '../state.js';
import { streamImages, type StreamPrefix } from './streaming.js';
import { wait } from './timing.js';

export interface AnswerShape {
  envelope: 'openai' | 'native';
  stream: StreamPrefix;
}

/** Progress steps while waiting: about one every 50 ms, at most 10. */
async function waitWithProgress(ctx: RequestContext, ms: number, run: ProgressRun | undefined): Promise<boolean> {
  if (!run) return wait(ctx.signal, ms);
  const steps = Math.min(10, Math.max(1, Math.floor(ms / 50)));
  for (let s = 1; s <= steps; s++) {
    if (!(await wait(ctx.signal, ms / steps))) return false;
    run.step(Math.floor((100 * s) / (steps + 1)));
  }
  return true;
}

/**
 * JSON of one image of the OpenAI envelope: `{url}` (the URL given as JSON text, see mediaUrlJson)
 * or `{b64_json}`, then revised_prompt when there is one.
 */
export function imageJson(urlJson: string | null, b64: string | null, revised: string | undefined): string {
  // Base64 (RFC 4648 alphabet) never needs JSON escaping: it goes in as is, sparing JSON.stringify
  // a scan of every character of a payload that is often hundreds of KB.
  const head = urlJson !== null ? `{"url":${urlJson}` : b64 !== null ? `{"b64_json":"${b64}"` : '{"b64_json":null';
  return revised !== undefined ? `${head},"revised_prompt":${JSON.stringify(revised)}}` : `${head}}`;
}

let lastBase: string | undefined;
let lastPrefix = '';

/**
 * `JSON.stringify(`${base}/media/${token}`)` for a media token (base64url and a dot, which JSON
 * never escapes): the base's JSON is made once, for the last base seen (a mock answers on one).
 */
export function mediaUrlJson(base: string, token: string): string {
  if (base !== lastBase) {
    lastPrefix = JSON.stringify(`${base}/media/`).slice(0, -1);
    lastBase = base;
  }
  return `${lastPrefix}${token}"`;
}

/** `JSON.stringify({ created, data, ...extras })` with the items already as JSON text. */
export function openaiBody(created: number, items: readonly string[], extras: Record<string, unknown>): string {
  const rest = JSON.stringify(extras);
  return `{"created":${created},"data":[${items.join(',')}]${rest === '{}' ? '}' : `,${rest.slice(1)}`}`;
}

// Only small bodies are kept for reuse (a few KB for URLs and small images), so the memo stays a few MB at most.
const MAX_REUSED_BODY = 64 * 1024;

/** `reply`: set for a repeated request (RequestRules memo); its body is reused within the same second. */
export async function answerImages(state: MockState, ctx: RequestContext, job: ImageJob, shape: AnswerShape, headerScenario: Scenario | undefined, reply?: ReplySlot): Promise<Response> {
  let scenario = headerScenario ?? scenarioFromPrompt(job.prompt);
  if (scenario && !state.scenarioCounts.fails(scenario, ctx)) scenario = undefined;

  const run = state.progress && ctx.apiKey !== undefined
    ? state.progress.begin({ requestId: ctx.requestId, apiKey: ctx.apiKey, ...(ctx.header('x-progress-id') ? { progressId: ctx.header('x-progress-id')!.slice(0, 128) } : {}), model: job.model.id, images: job.n })
    : undefined;
  run?.step(0);

  if (scenario && !scenario.slowMs) {
    const error = scenarioError(state, ctx, scenario, job.model);
    run?.fail(error);
    return error.response;
  }
  const delay = state.options.latencyMs + (scenario?.slowMs ?? 0);

  if (job.stream) return streamImages(state, ctx, job, shape.stream, delay, run);

  // Nothing to wait for: answer in this tick (an adapter drops the answer of a client that left).
  if ((delay > 0 || run) && !(await waitWithProgress(ctx, delay, run))) {
    run?.fail({ code: null, message: 'The client closed the connection.' });
    return clientGone(ctx);
  }
  const base = publicBase(state, ctx);
  const created = Math.floor(state.options.now() / 1000);
  // Bodies with per-request fields (the perf block) are never reused.
  const slot = state.profile.extras.perf ? undefined : reply;
  const last = slot?.last;
  if (last && last.second === created && last.base === base && last.envelope === shape.envelope) {
    run?.complete();
    return jsonText(ctx, 200, last.text);
  }
  const revise = job.model.output.revisedPrompt;
  const revised = revise ? revisedPrompt(job.prompt) : undefined;
  const data: Array<Record<string, unknown>> = [];
  // OpenAI envelope: the items' JSON text, written directly (see openaiBody).
  const items: string[] = [];
  for (let index = 0; index < job.n; index++) {
    const inputs = state.images.inputs(job, job.renderPrompt, index);
    let token: string | null = null;
    let b64: string | null = null;
    // Tokens of one-off requests are not memoised (they would only churn the memo).
    if (job.responseFormat === 'url') token = state.tokens.sign(inputs, state.options.urlTtlSeconds, reply !== undefined).token;
    else b64 = await state.images.base64(inputs);
    if (shape.envelope === 'native') data.push({ url: token !== null ? `${base}/media/${token}` : null, b64_json: b64, revised_prompt: revised ?? null });
    else items.push(imageJson(token !== null ? mediaUrlJson(base, token) : null, b64, revised));
  }
  let text: string;
  if (shape.envelope === 'native') {
    const metadata = state.profile.extras.metadata && job.metadata ? { metadata: job.metadata } : {};
    text = JSON.stringify({ status: 'ok', data: { created, data, ...metadata } });
  } else {
    text = openaiBody(created, items, extrasOf(job, state.profile, ctx.requestId, ctx.elapsedMs()));
  }
  if (slot && text.length <= MAX_REUSED_BODY) slot.last = { second: created, base, envelope: shape.envelope, text };
  run?.complete();
  return jsonText(ctx, 200, text);
}
