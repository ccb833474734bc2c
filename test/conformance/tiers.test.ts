// Two tiers of expectation: the contract (status, envelope of the profile's dialect, contractual
// codes) binds every gateway; OpenAI fidelity (exact code, param, type; the spec's alternatives
// accepted) is SHOULD, and MUST under --strict. Proven on a tiny gateway that answers every fault in
// its own, legitimate way.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorForms, errorKinds } from '../../src/contract/errors.js';
import { constVocabulary } from '../../src/contract/spec.js';
import { CHECKS, runConformance, type ConformanceReport } from '../../src/conformance/index.js';

const KEY = 'sk-tiers-0123456789abcdef';
let server: Server;
let base = '';
/** How the gateway words its errors: OpenAI's alternatives, a three-key body, or a bare code. */
let style: 'alternatives' | 'three-keys' | 'code-null' = 'alternatives';

function answer(status: number, error: Record<string, unknown>) {
  if (style === 'three-keys') delete error.param;
  if (style === 'code-null') error.code = null;
  return { status, body: JSON.stringify({ error: { message: String(error.message), type: 'invalid_request_error', ...error } }) };
}

/** A gateway that validates like OpenAI's request validator (integer_above_max_value, param named). */
function handle(raw: string, auth: string | undefined, url: string): { status: number; body: string } {
  if (auth !== `Bearer ${KEY}`) return answer(401, { message: 'bad key', param: null, code: 'invalid_api_key' });
  if (!url.endsWith('/images/generations')) return answer(404, { message: 'no route', param: null, code: null });
  let b: Record<string, unknown>;
  try {
    b = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return answer(400, { message: 'bad json', param: null, code: null });
  }
  if (b.prompt === 'REFUSE ME') return answer(400, { message: 'refused', param: null, code: 'content_policy_violation' });
  if (typeof b.n === 'number' && b.n > 10) return answer(400, { message: 'n too big', param: 'n', code: 'integer_above_max_value' });
  if (b.model === 'dall-e-2' && typeof b.size === 'string' && !['256x256', '512x512', '1024x1024'].includes(b.size))
    return answer(400, { message: 'bad size', param: 'size', code: 'invalid_value' });
  if (b.prompt === undefined) return answer(400, { message: 'prompt missing', param: 'prompt', code: 'missing_required_parameter' });
  return answer(400, { message: 'not generating in this test', param: null, code: null });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const { status, body } = handle(raw, req.headers.authorization, req.url ?? '');
      res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${Date.now()}` }).end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const ONLY = ['negative.missing-prompt', 'negative.missing-prompt-fidelity', 'model-rules.n-over-max', 'model-rules.n-over-max-fidelity', 'model-rules.size-foreign-rejected', 'model-rules.size-foreign-rejected-fidelity'];
const status = (r: ConformanceReport, key: string) => r.results.find((x) => x.key === key);

function run(profile: string, extra: Record<string, unknown> = {}) {
  return runConformance({ baseUrl: base, apiKey: KEY, profile, models: ['dall-e-2'], only: ONLY, maxImages: 0, timeoutMs: 5_000, ...extra });
}

describe('the tiers are data in the spec', () => {
  it('every check has a tier; every -fidelity check is SHOULD and fidelity, with its contract check beside it', () => {
    const ids = new Set(CHECKS.map((c) => c.id));
    for (const c of CHECKS.filter((x) => x.id.endsWith('-fidelity'))) {
      expect(c.tier, c.id).toBe('fidelity');
      expect(c.severity, c.id).toBe('SHOULD');
      expect(ids.has(c.id.replace(/-fidelity$/, '')), c.id).toBe(true);
    }
    expect(CHECKS.filter((c) => c.tier === 'fidelity').length).toBeGreaterThanOrEqual(15);
  });

  it('the codes clients branch on are marked contractual, with the reason', () => {
    const contractual = constVocabulary('ErrorCode').filter((c) => c.contractual).map((c) => c.value).sort();
    expect(contractual).toEqual(['content_policy_violation', 'insufficient_quota', 'invalid_api_key', 'moderation_blocked', 'rate_limit_exceeded']);
    expect(errorKinds().get('content_policy_violation')?.contractual).toMatch(/branch/);
    expect(errorKinds().get('missing_required_parameter')?.contractual).toBeUndefined();
  });

  it("OpenAI's alternative answers are listed on the error examples", () => {
    expect(errorForms('n_must_be_one')).toEqual(expect.arrayContaining([{ code: 'invalid_value', param: 'n', type: 'invalid_request_error' }]));
    expect(errorForms('integer_out_of_range', 'n').map((f) => f.code)).toEqual(['invalid_value', 'integer_above_max_value', 'integer_below_min_value']);
    expect(errorForms('invalid_size').map((f) => `${f.code}/${f.param}`)).toEqual(['invalid_size/null', 'invalid_size/size', 'invalid_value/size']);
  });
});

describe('a gateway answering faults its own legitimate way', () => {
  it("passes the contract and the fidelity checks where it uses one of OpenAI's documented alternatives", async () => {
    style = 'alternatives';
    const r = await run('openai');
    expect(r.results.filter((x) => x.status === 'fail').map((x) => x.key)).toEqual([]);
    expect(status(r, 'model-rules.n-over-max-fidelity[dall-e-2]')?.status).toBe('pass');
    expect(status(r, 'model-rules.size-foreign-rejected-fidelity[dall-e-2]')?.status).toBe('pass');
    expect(status(r, 'model-rules.n-over-max[dall-e-2]')?.tier).toBe('contract');
  });

  it('code null everywhere: the contract holds (MUST passes), fidelity warns (SHOULD), --strict makes that a MUST failure', async () => {
    style = 'code-null';
    const loose = await run('openai');
    expect(loose.summary.mustFailed).toBe(0);
    expect(loose.exitCode).toBe(0);
    expect(status(loose, 'negative.missing-prompt')?.status).toBe('pass');
    expect(status(loose, 'negative.missing-prompt-fidelity')).toMatchObject({ status: 'fail', severity: 'SHOULD', tier: 'fidelity' });
    const strict = await run('openai', { strict: true });
    expect(status(strict, 'negative.missing-prompt-fidelity')).toMatchObject({ status: 'fail', severity: 'MUST', tier: 'fidelity' });
    expect(strict.exitCode).toBe(1);
  });

  it('a three-key error body is complete under provider-slugs (ref 001) and incomplete under openai', async () => {
    style = 'three-keys';
    const slugs = await run('provider-slugs');
    expect(status(slugs, 'negative.missing-prompt')?.status).toBe('pass');
    expect(status(slugs, 'negative.missing-prompt-fidelity')?.status).toBe('pass');
    const openai = await run('openai');
    expect(status(openai, 'negative.missing-prompt')).toMatchObject({ status: 'fail', observed: expect.stringContaining('error.param is missing') });
  });

  it('a contractual code is contract: the content-policy trigger must carry content_policy_violation', async () => {
    const only = ['errors.content-policy'];
    style = 'alternatives';
    const ok = await runConformance({ baseUrl: base, apiKey: KEY, profile: 'openai', models: ['dall-e-2'], only, maxImages: 0, timeoutMs: 5_000, triggers: { 'content-policy': 'REFUSE ME' } });
    expect(status(ok, 'errors.content-policy')?.status).toBe('pass');
    style = 'code-null';
    const bad = await runConformance({ baseUrl: base, apiKey: KEY, profile: 'openai', models: ['dall-e-2'], only, maxImages: 0, timeoutMs: 5_000, triggers: { 'content-policy': 'REFUSE ME' } });
    expect(status(bad, 'errors.content-policy')).toMatchObject({ status: 'fail', severity: 'MUST', tier: 'contract' });
    const untriggered = await runConformance({ baseUrl: base, apiKey: KEY, profile: 'openai', models: ['dall-e-2'], only, maxImages: 0, timeoutMs: 5_000 });
    expect(status(untriggered, 'errors.content-policy')).toMatchObject({ status: 'skip', reason: expect.stringContaining("--trigger content-policy='PROMPT TEXT'") });
  });
});
