// Failure scenarios on demand, for testing clients. Chosen per request by
//   - the `x-mock-scenario: <scenario>` header,
//   - Prism's `Prefer: code=<status>` (the first error kind of the spec with that status) or
//     `Prefer: example=<ErrorExampleName>` (components/examples with `x-error`),
//   - a trigger word `[[<scenario>]]` anywhere in the prompt.
// A scenario is `<name>[:<number>][:<count>|:once]`: `<name>` is one of SCENARIOS below or any
// error kind of the spec (`server_error`, `bad_gateway`, `permission_denied`, ...); the number is
// Retry-After seconds for rate_limit/unavailable, or the delay in ms for slow (names without such
// a parameter take only the count); a count N (`once` = 1) fails the first N matching requests and
// lets the next one through (see scenario-counts.ts), so any client's retry then succeeds.
import { errorKinds } from '../../../contract/errors.js';

interface ScenarioDef {
  /** Error kind (spec vocabulary); absent for slow and for the family-dependent safety refusal. */
  kind?: string;
  /** The safety refusal: content_policy_violation for dall-e and diffusion models, moderation_blocked for GPT image models. */
  safety?: true;
  /** Answers carry Retry-After (and x-ratelimit-* for rate limits). */
  retryAfter?: true;
  /** Delay the (successful) answer. */
  slow?: true;
  description: string;
}

/** Named scenarios (documented in docs and the CLI help). Error kinds of the spec are scenarios too. */
export const SCENARIOS: Readonly<Record<string, ScenarioDef>> = {
  content_policy: { safety: true, description: 'safety refusal: content_policy_violation (dall-e, diffusion) or moderation_blocked (GPT image)' },
  moderation: { safety: true, description: 'same as content_policy' },
  rate_limit: { kind: 'rate_limit_exceeded', retryAfter: true, description: '429 rate_limit_exceeded with Retry-After (default 1 s) and x-ratelimit-*' },
  quota: { kind: 'insufficient_quota', description: '429 insufficient_quota (no Retry-After: retrying cannot help)' },
  budget: { kind: 'budget_exceeded', description: '429 budget exceeded (native: BUDGET_EXCEEDED)' },
  server_error: { kind: 'server_error', description: '500 server_error' },
  unavailable: { kind: 'service_unavailable', retryAfter: true, description: '503 service_unavailable with Retry-After' },
  bad_gateway: { kind: 'bad_gateway', description: '502 bad_gateway' },
  timeout: { kind: 'gateway_timeout', description: '504 gateway_timeout' },
  slow: { slow: true, description: 'answer normally after <number> ms (default 5000)' },
};

export const SCENARIO_HEADER = 'x-mock-scenario';
const DEFAULT_RETRY_AFTER_S = 1;
const DEFAULT_SLOW_MS = 5000;
const MAX_SLOW_MS = 600_000;
const MAX_RETRY_AFTER_S = 86_400;

export interface Scenario {
  name: string;
  kind?: string;
  safety?: boolean;
  /** Seconds, when the answer carries Retry-After. */
  retryAfter?: number;
  slowMs?: number;
  /** Fail only this many matching requests in a row (`:once` = 1); absent: every request. */
  count?: number;
  /** The scenario as normalised text (`rate_limit:1:1`), to tell counted scenarios apart. */
  label: string;
}

const RETRY_AFTER_KINDS = new Set(Object.values(SCENARIOS).filter((d) => d.retryAfter && d.kind).map((d) => d.kind!));

/** `rate_limit:2:once`, `server_error:3` → a scenario; undefined when the name or a part is unknown. */
export function parseScenario(text: string): Scenario | undefined {
  const parts = text.trim().toLowerCase().split(':');
  const name = parts[0]!;
  const numbers: number[] = [];
  let once = false;
  for (const p of parts.slice(1)) {
    if (p === 'once' && !once) once = true;
    else if (/^[0-9]{1,9}$/.test(p) && !once) numbers.push(Number(p));
    else return undefined;
  }
  const def = SCENARIOS[name];
  const kind = def?.kind ?? (def?.slow || def?.safety ? undefined : errorKinds().has(name) ? name : undefined);
  if (!def?.slow && !def?.safety && !kind) return undefined;
  const takesNumber = def?.slow === true || (kind !== undefined && RETRY_AFTER_KINDS.has(kind));
  const number = takesNumber ? numbers.shift() : undefined;
  if (numbers.length > (once ? 0 : 1)) return undefined;
  const count = once ? 1 : numbers[0];
  if (count === 0) return undefined;
  const counted = (s: Omit<Scenario, 'label' | 'count'>, param?: number): Scenario => ({
    ...s,
    ...(count !== undefined ? { count } : {}),
    label: [name, ...(param !== undefined ? [param] : []), ...(count !== undefined ? [count] : [])].join(':'),
  });
  if (def?.slow) {
    const slowMs = Math.min(number ?? DEFAULT_SLOW_MS, MAX_SLOW_MS);
    return counted({ name, slowMs }, slowMs);
  }
  if (def?.safety) return counted({ name, safety: true });
  const retry = RETRY_AFTER_KINDS.has(kind!) ? Math.min(Math.max(number ?? DEFAULT_RETRY_AFTER_S, 1), MAX_RETRY_AFTER_S) : undefined;
  return counted({ name, kind: kind!, ...(retry !== undefined ? { retryAfter: retry } : {}) }, retry);
}

/** The first error kind with `status`, in the spec's example order. */
function kindForStatus(status: number): string | undefined {
  for (const k of errorKinds().values()) if (k.status === status) return k.kind;
  return undefined;
}

/** Prism's `Prefer: code=429` / `Prefer: example=RateLimitExceeded` (other keys and success codes are ignored). */
function fromPrefer(prefer: string): Scenario | undefined {
  let code: number | undefined;
  let example: string | undefined;
  for (const part of prefer.split(/[,;]/)) {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (key === 'code' && value && /^[1-5][0-9]{2}$/.test(value)) code = Number(value);
    if (key === 'example' && value) example = value;
  }
  if (example) {
    for (const k of errorKinds().values()) if (k.example === example) return parseScenario(k.kind);
  }
  if (code !== undefined && code >= 400) {
    const kind = kindForStatus(code);
    if (kind) return parseScenario(kind);
  }
  return undefined;
}

export type HeaderScenario = Scenario | { unknown: string } | undefined;

/** The scenario a request's headers ask for; `{unknown}` for an x-mock-scenario the mock does not know. */
export function scenarioFromHeaders(headers: Headers): HeaderScenario {
  const text = headers.get(SCENARIO_HEADER);
  if (text !== null && text.trim() !== '') return parseScenario(text) ?? { unknown: text };
  const prefer = headers.get('prefer');
  return prefer !== null ? fromPrefer(prefer) : undefined;
}

const TRIGGER = /\[\[([A-Za-z_]+(?::[A-Za-z0-9]+)*)\]\]/g;

/** The first known `[[scenario]]` trigger in a prompt. */
export function scenarioFromPrompt(prompt: string): Scenario | undefined {
  if (prompt.indexOf('[[') < 0) return undefined;
  for (const m of prompt.matchAll(TRIGGER)) {
    const s = parseScenario(m[1]!);
    if (s) return s;
  }
  return undefined;
}
