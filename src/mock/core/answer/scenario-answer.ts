// Answering a failure scenario: the spec's error for the kind, with Retry-After / x-ratelimit-*
// where the scenario says so. Template fields are filled from the request where it has them; an
// error whose message would keep unfilled fields is sent with its documented example message.
import { buildError, errorKind, type ErrorVars } from '../../../contract/errors.js';
import { maskKey } from '../gate/auth.js';
import { durationString } from '../gate/rate-limit.js';
import type { RequestContext } from '../request-context.js';
import { json } from './respond.js';
import type { Scenario } from '../gate/scenarios.js';
import type { MockState } from '../state.js';

const UNFILLED = /\{[a-z]+\}/;

export interface ScenarioAnswer {
  response: Response;
  /** Code and message of the error (for a progress `failed` event). */
  code: string | null;
  message: string;
}

/** The scenario's error answer. */
export function scenarioError(state: MockState, ctx: RequestContext, scenario: Scenario, model: { id: string; family: string } | undefined): ScenarioAnswer {
  const kind = scenario.safety ? (model?.family === 'gpt-image' ? 'moderation_blocked' : 'content_policy_violation') : scenario.kind!;
  const vars: ErrorVars = { method: ctx.method, path: ctx.path, max: state.options.maxBodyBytes };
  if (model) vars.model = model.id;
  if (ctx.apiKey !== undefined) vars.value = maskKey(ctx.apiKey);
  if (kind === 'rate_limit_exceeded') {
    const limit = state.limiter?.limit ?? 1;
    vars.limit = limit;
    vars.current = limit + 1;
  }
  if (scenario.retryAfter !== undefined) {
    ctx.headers.push('retry-after', String(scenario.retryAfter));
    if (kind === 'rate_limit_exceeded' && !state.limiter)
      ctx.headers.push('x-ratelimit-limit-requests', String(vars.limit), 'x-ratelimit-remaining-requests', '0', 'x-ratelimit-reset-requests', durationString(scenario.retryAfter * 1000));
  }
  const example = errorKind(kind).body.error;
  let openai = buildError(kind, vars).body as { error: { code: string | null; message: string } };
  if (UNFILLED.test(openai.error.message)) openai = { error: { ...example } };
  const message = openai.error.message;
  let response: Response;
  if (ctx.envelope === 'native') {
    const native = buildError(kind, vars, { envelope: 'native', requestId: ctx.requestId });
    const body = native.body as { error: { message: string } };
    body.error.message = message;
    response = json(ctx, native.status, body);
  } else {
    response = json(ctx, errorKind(kind).status, openai);
  }
  return { response, code: openai.error.code, message };
}
