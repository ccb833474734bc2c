// Socket.IO progress events (ref 002, profiles with progressEvents): during the baseline generation
// the `/image-progress` namespace emits events valid against the AsyncAPI document, whose request_id
// is the x-request-id of the HTTP answer, in order, ending with exactly one completed/failed event.
import { emitsProgress } from '../../contract/profiles.js';
import { fail, pass, skip } from '../assert.js';
import { bodyText } from '../exchange.js';
import { progressNamespace } from '../progress-listener.js';
import { WRONG_KEY } from './auth.js';
import type { Generation, RunContext } from '../context.js';
import { header } from '../exchange.js';
import { progressValidators, type ProgressEventRecord } from '../progress-listener.js';
import type { CheckDef, GenerationKind, Outcome, Target } from '../types.js';

/** After the HTTP answer, how long the terminal event may take to arrive. */
const GRACE_MS = 3_000;

/** Per model: the profile says which models (or providers) emit progress events (ref 002: "for providers that support it"). */
const progressApplies = (ctx: RunContext, t: Target): true | string => {
  if (ctx.profile.progressEvents === false) return `profile ${ctx.profile.name} emits no progress events`;
  return emitsProgress(ctx.profile, t.model) ? true : `profile ${ctx.profile.name}: ${t.name} emits no progress events (only ${progressScope(ctx)})`;
};

function progressScope(ctx: RunContext): string {
  const p = ctx.profile.progressEvents;
  if (typeof p !== 'object') return 'every model';
  return [...(p.models ?? []), ...(p.providers ?? []).map((x) => `provider ${x}`)].join(', ');
}

interface Observed {
  gen: Generation;
  requestId?: string;
  events: ProgressEventRecord[];
  window: ProgressEventRecord[];
}

/**
 * The events of a generation, collected once and shared by the progress checks: one wait of at most
 * GRACE_MS per generation, whichever check asks first.
 */
function observe(ctx: RunContext, t: Target, kind: GenerationKind): Promise<Observed | Outcome> {
  return ctx.memo(`progress:${ctx.generationKey(t, kind)}`, () => collect(ctx, t, kind));
}

async function collect(ctx: RunContext, t: Target, kind: GenerationKind): Promise<Observed | Outcome> {
  const gen = await ctx.generation(t, kind);
  const listener = ctx.progress;
  if (!listener) return fail('a Socket.IO connection', 'no listener', [gen.exchange]);
  await listener.ready();
  if (!listener.connected)
    return fail(`a Socket.IO connection to ${listener.url} with the API key`, `could not connect: ${listener.connectError ?? 'unknown error'}`, [gen.exchange]);
  const requestId = header(gen.exchange, 'x-request-id');
  const events = requestId ? await listener.waitForEnd(requestId, GRACE_MS) : [];
  const window = listener.events.filter((e) => e.at >= gen.exchange.startedAt);
  return { gen, ...(requestId ? { requestId } : {}), events, window };
}

const isOutcome = (x: Observed | Outcome): x is Outcome => 'status' in x;

/** A progress check: per model that emits progress, judging what `observe` collected for its generation (or why it could not). */
function progressCheck(
  def: Pick<CheckDef, 'id' | 'title' | 'severity' | 'rule'> & { kind?: GenerationKind; appliesTo?: CheckDef['appliesTo']; judge(o: Observed): Outcome },
): CheckDef {
  const { judge, kind = 'baseline', appliesTo, ...meta } = def;
  return {
    ...meta,
    scope: 'model',
    uses: [kind],
    appliesTo: (ctx, t) => {
      const own = progressApplies(ctx, t);
      return own === true && appliesTo ? appliesTo(ctx, t) : own;
    },
    async run(ctx, t) {
      const o = await observe(ctx, t, kind);
      return isOutcome(o) ? o : judge(o);
    },
  };
}

/** Events in order for one request, ending with one completed (100, images = n) or failed event. */
function judgeOrder(o: Observed): Outcome {
  const expected = 'progress events from 0 with non-decreasing percent, then one completed (percent 100, images = n) or failed';
  if (o.events.length === 0) return fail(expected, 'no event for the request', [o.gen.exchange]);
  const problems: string[] = [];
  let last = -1;
  let terminal = 0;
  o.events.forEach((e, i) => {
    const p = e.payload as { percent?: number; images?: number };
    if (terminal) problems.push(`${e.event} after the terminal event`);
    if (e.event === 'progress') {
      if (last === -1 && p.percent !== 0) problems.push(`first progress is ${p.percent}%`);
      if (typeof p.percent === 'number' && p.percent < last) problems.push(`percent ${p.percent} after ${last}`);
      if (typeof p.percent === 'number') last = p.percent;
    } else if (e.event === 'completed' || e.event === 'failed') {
      terminal++;
      if (e.event === 'completed' && p.percent !== 100) problems.push(`completed with percent ${p.percent}`);
      if (e.event === 'completed' && p.images !== o.gen.request.n) problems.push(`completed with images ${p.images} for n ${o.gen.request.n}`);
    } else problems.push(`event ${i + 1} is '${e.event}'`);
  });
  if (terminal === 0) problems.push('no completed or failed event');
  if (problems.length) return fail(expected, problems.slice(0, 5).join('; '), [o.gen.exchange]);
  return pass(o.events.map((e) => `${e.event}${typeof (e.payload as { percent?: number }).percent === 'number' ? ` ${(e.payload as { percent: number }).percent}%` : ''}`).join(' → '), o.gen.exchange);
}

/**
 * Socket.IO's HTTP long-polling transport (Engine.IO 4), so the namespace handshake is ordinary HTTP
 * exchanges the report can show: open a session, connect to the namespace with `auth`, read the answer.
 */
async function namespaceHandshake(ctx: RunContext, token: string): Promise<{ answer: string; seqs: number[] } | { problem: string; seqs: number[] }> {
  const base = `${ctx.origin}/socket.io/?EIO=4&transport=polling`;
  const open = await ctx.send({ method: 'GET', url: `${base}&t=open`, auth: 'none', label: 'Socket.IO polling handshake' });
  const sid = /"sid":"([^"]+)"/.exec(open.response ? bodyText(open) : '')?.[1];
  if (!sid) return { problem: `no Engine.IO session: ${open.response?.status ?? open.error?.message}`, seqs: [open.seq] };
  const url = `${base}&sid=${encodeURIComponent(sid)}`;
  const connect = await ctx.send({
    method: 'POST',
    url,
    auth: 'none',
    label: `Socket.IO connect to ${progressNamespace()} with a wrong key`,
    body: { kind: 'text', text: `40${progressNamespace()},${JSON.stringify({ token })}`, contentType: 'text/plain;charset=UTF-8' },
  });
  const read = await ctx.send({ method: 'GET', url: `${url}&t=read`, auth: 'none', label: 'Socket.IO namespace answer' });
  return { answer: read.response ? bodyText(read) : '', seqs: [open.seq, connect.seq, read.seq] };
}

export const progressChecks: CheckDef[] = [
  {
    id: 'progress.auth-required',
    title: 'The /image-progress namespace refuses a connection with a wrong API key (events name other requests and prompts)',
    severity: 'MUST',
    rule: 'asyncapi/image-progress.yaml (the handshake auth.token is the API key); ref 002 (progress per request of the key)',
    scope: 'run',
    uses: [],
    appliesTo: (ctx) => (ctx.profile.progressEvents === false ? `profile ${ctx.profile.name} emits no progress events` : ctx.keyProvided ? true : 'no API key given: a wrong key cannot be told from the right one'),
    async run(ctx) {
      const expected = `a connect_error packet (44${progressNamespace()}) for auth.token ${WRONG_KEY}`;
      const shake = await namespaceHandshake(ctx, WRONG_KEY);
      if ('problem' in shake) return skip(`the Socket.IO polling transport is not available (${shake.problem}); the suite cannot judge the handshake over HTTP`);
      const ns = progressNamespace();
      if (shake.answer.includes(`44${ns},`)) return pass(`refused: ${shake.answer.slice(0, 120)}`, ...shake.seqs);
      if (shake.answer.includes(`40${ns},`)) return fail(expected, `connected: ${shake.answer.slice(0, 120)}`, shake.seqs, 'Anyone can follow every generation (request ids, models, prompts) without a key.');
      return fail(expected, `answer ${JSON.stringify(shake.answer.slice(0, 120))}`, shake.seqs);
    },
  },
  progressCheck({
    id: 'progress.events-validate',
    title: 'Progress events for a generation arrive and validate against the AsyncAPI schemas',
    severity: 'MUST',
    rule: 'asyncapi/image-progress.yaml (ProgressEvent, CompletedEvent, FailedEvent; ref 002)',
    judge(o) {
      const expected = 'events named progress/completed/failed, each valid against its AsyncAPI payload schema';
      const events = o.events.length ? o.events : o.window;
      if (events.length === 0) return fail(expected, 'no event arrived during the generation', [o.gen.exchange]);
      const validators = progressValidators();
      const problems: string[] = [];
      events.forEach((e, i) => {
        const validate = validators.get(e.event);
        if (!validate) return problems.push(`event ${i + 1} is named '${e.event}'`);
        if (!validate(e.payload)) problems.push(`${e.event} ${i + 1}: ${(validate.errors ?? []).slice(0, 2).map((x) => `${x.instancePath || '/'} ${x.message}`).join(', ')}`);
      });
      if (problems.length) return fail(expected, problems.slice(0, 5).join('; '), [o.gen.exchange]);
      return pass(`${events.length} valid event(s): ${events.map((e) => e.event).join(', ')}`, o.gen.exchange);
    },
  }),
  progressCheck({
    id: 'progress.request-id-matches',
    title: "The events' request_id is the x-request-id of the HTTP answer",
    severity: 'MUST',
    rule: 'asyncapi/image-progress.yaml (request_id equals x-request-id)',
    judge(o) {
      const expected = `events with request_id = x-request-id (${o.requestId ?? 'absent'})`;
      if (!o.requestId) return fail(expected, 'the HTTP answer has no x-request-id', [o.gen.exchange]);
      if (o.events.length) return pass(`${o.events.length} event(s) with request_id ${o.requestId}`, o.gen.exchange);
      const ids = [...new Set(o.window.map((e) => String((e.payload as { request_id?: unknown })?.request_id)))];
      return fail(expected, o.window.length ? `events carry request_id ${ids.join(', ')}` : 'no event arrived during the generation', [o.gen.exchange]);
    },
  }),
  progressCheck({
    id: 'progress.order',
    title: 'Progress percent never decreases, starts at 0, and exactly one completed (100) or failed event ends it',
    severity: 'MUST',
    rule: 'asyncapi/image-progress.yaml (order of events for one request)',
    judge: judgeOrder,
  }),
  progressCheck({
    id: 'progress.n-many',
    title: 'A generation of n > 1 images (the model maximum) gets its own events, the completed one counting all n images',
    severity: 'MUST',
    rule: 'asyncapi/image-progress.yaml (CompletedEvent.images = n); ref 002 (n 1-10)',
    kind: 'n-max',
    appliesTo: (_ctx, t) => (t.model && t.model.n.max > 1 ? true : `${t.name} makes one image per request`),
    judge: judgeOrder,
  }),
];
