// The reference gateways: one per built-in profile, each written from its reference document (and
// the facts sheet) without importing anything from src/, with the models a team behind it would
// test, the skips that are legitimate for it, and the checks that must have run and passed on it.
import { startDalleOnlyGateway } from './dalle-only-gateway.js';
import { startOpenAiGateway } from './openai-gateway.js';
import { startPerfBlockGateway } from './perf-block-gateway.js';
import { startProviderSlugsGateway } from './provider-slugs-gateway.js';
import { startScaiGridGateway } from './scaigrid-gateway.js';
import { startSocketProgressGateway } from './socket-progress-gateway.js';

export const REFERENCE_KEY = 'sk-reference-gateway-5f1c0e9a7b3d';

export interface StartOptions {
  apiKey: string;
  defect?: string;
  /** perf-block: the key's rate-limit tier. */
  tier?: 'free' | 'pro' | 'enterprise';
  /** Lifetime of the gateway's image URLs (default: its reference's, one hour). */
  urlTtlSeconds?: number;
}

export interface RunningReference {
  url: string;
  origin: string;
  close(): Promise<void>;
}

export interface ReferenceGateway {
  name: string;
  /** The built-in profile it is tested with. */
  profile: string;
  /** What it is written from. */
  source: string;
  models: string[];
  start(options: StartOptions): Promise<RunningReference>;
  /** Checks (id or id[model]) that may be skipped on this gateway, and why. */
  allowedSkips: Record<string, string>;
  /** Checks (by id: every model's result) that must have run and passed. */
  mustPass: string[];
  /** Answers as OpenAI does, so every OpenAI-fidelity check passes too (what --strict demands). */
  faithful?: boolean;
  /** How the owner makes it refuse (the suite's --trigger): only the refusals its reference documents. */
  triggers?: Partial<Record<'content-policy' | 'quota' | 'budget', string>>;
}

/** A prompt every gateway with a safety filter here refuses. */
export const UNSAFE_PROMPT = 'A battlefield scene full of gore and graphic violence';

const NO_429 = 'no 429 during a normal run (rate limits are exercised by the perf-block tier runs)';
const UNDOCUMENTED = 'opt-in, and its reference documents no such refusal to trigger';
const COMMON_SKIPS: Record<string, string> = {
  'headers.retry-after': NO_429,
  'headers.rate-limit-envelope': NO_429,
  'headers.retry-after-sdk-limit': NO_429,
  'urls.expire-after-ttl': 'opt-in (it waits): run by the URL-lifetime test with a 2 s lifetime',
  'errors.content-policy': UNDOCUMENTED,
  'errors.quota': UNDOCUMENTED,
  'errors.budget': UNDOCUMENTED,
};
/** The opt-in skips that a trigger replaces. */
const triggered = (skips: Record<string, string>, kinds: string[]) => Object.fromEntries(Object.entries(skips).filter(([id]) => !kinds.some((k) => id === `errors.${k}`)));
const COMMON_PASS = [
  'auth.missing-key',
  'auth.wrong-key',
  'negative.missing-prompt',
  'negative.n-eleven',
  'negative.malformed-json',
  'negative.oversized-body',
  'success.status-200',
  'success.schema',
  'success.created-unix-seconds',
  'success.image-items',
  'images.decodes',
  'images.dimensions',
  'images.response-format-b64',
  'headers.request-id-success',
  'headers.request-id-error',
  'sdk.generate-parsed',
  'model-rules.n-over-max',
  'model-rules.size-allowed',
  'model-rules.prompt-max-accepted',
  'model-rules.prompt-over-max',
];

export const REFERENCE_GATEWAYS: ReferenceGateway[] = [
  {
    name: 'openai',
    profile: 'openai',
    source: 'openai-images-api-facts.md',
    models: ['dall-e-2', 'dall-e-3', 'gpt-image-1', 'gpt-image-2'],
    start: startOpenAiGateway,
    faithful: true,
    triggers: { 'content-policy': UNSAFE_PROMPT, quota: 'OpenAI-Project: proj_out_of_credit' },
    allowedSkips: {
      ...triggered(COMMON_SKIPS, ['content-policy', 'quota']),
      'media.token-download': 'its URLs are on a blob-storage CDN origin, not the /v1/media proxy (facts §5.19)',
    },
    mustPass: [
      ...COMMON_PASS,
      'models-list.schema',
      'images.url-download',
      'images.b64-only-models',
      'images.output-format-honoured',
      'images.transparent-background',
      'success.usage-shape',
      'streaming.content-type',
      'streaming.event-sequence',
      'streaming.events-validate',
      'streaming.completed-image',
      'edits.single-image',
      'edits.multi-image',
      'edits.every-image-used',
      'edits.format-rejected',
      'edits.mask-size-mismatch',
      'variations.create',
      'variations.non-square-rejected',
      'model-rules.custom-size-accepted',
      'model-rules.range-params-rejected',
      'model-rules.model-omitted',
      'errors.content-policy',
      'errors.quota',
    ],
  },
  {
    name: 'scaigrid',
    profile: 'scaigrid',
    source: 'ref 000',
    models: ['openai/dall-e-3', 'openai/dall-e-2', 'stability/sd-xl'],
    start: startScaiGridGateway,
    triggers: { 'content-policy': UNSAFE_PROMPT, budget: 'X-ScaiGrid-Tenant: trial-exhausted' },
    allowedSkips: { ...triggered(COMMON_SKIPS, ['content-policy', 'budget']), 'headers.well-formed': 'it sends none of the optional OpenAI headers' },
    mustPass: [
      ...COMMON_PASS,
      'models-list.schema',
      'models-list.modality-filter',
      'native.success-envelope',
      'native.images',
      'native.validation-error',
      'native.model-required',
      'native.unauthenticated',
      'media.token-download',
      'media.forged-token',
      'images.url-download',
      'native.invalid-size',
      'native.b64-json',
      'native.n-many',
      'native.quality-style',
      'errors.content-policy',
      'errors.budget',
    ],
  },
  {
    name: 'provider-slugs',
    profile: 'provider-slugs',
    source: 'ref 001',
    models: ['dall-e-2', 'dall-e-3', 'openai/dall-e-3', 'stable-diffusion-xl-1024-v1-0'],
    start: startProviderSlugsGateway,
    triggers: { 'content-policy': UNSAFE_PROMPT },
    allowedSkips: { ...triggered(COMMON_SKIPS, ['content-policy']), 'headers.well-formed': 'it sends none of the optional OpenAI headers' },
    mustPass: [...COMMON_PASS, 'images.url-download', 'success.revised-prompt', 'model-ids.other-form-accepted', 'errors.content-policy'],
  },
  {
    name: 'socket-progress',
    profile: 'socket-progress',
    source: 'ref 002',
    models: ['dall-e-3', 'stable-diffusion-xl'],
    start: startSocketProgressGateway,
    allowedSkips: { ...COMMON_SKIPS, 'headers.well-formed': 'it sends none of the optional OpenAI headers' },
    mustPass: [...COMMON_PASS, 'images.url-download', 'progress.events-validate', 'progress.request-id-matches', 'progress.order', 'progress.n-many', 'progress.auth-required'],
  },
  {
    name: 'perf-block',
    profile: 'perf-block',
    source: 'ref 003',
    models: ['dall-e-3', 'dall-e-2', 'flux-pro', 'imagen-3'],
    start: startPerfBlockGateway,
    triggers: { 'content-policy': UNSAFE_PROMPT },
    allowedSkips: { ...triggered(COMMON_SKIPS, ['content-policy']) },
    mustPass: [
      ...COMMON_PASS,
      'images.url-download',
      'headers.well-formed',
      'model-rules.model-omitted',
      'model-rules.custom-size-accepted',
      'perf.present',
      'perf.request-id',
      'perf.model-used',
      'perf.size-quality',
      'perf.cost-latency',
      'errors.content-policy',
    ],
  },
  {
    name: 'dalle-only',
    profile: 'dalle-only',
    source: 'ref 004',
    models: ['dall-e-2', 'dall-e-3'],
    start: startDalleOnlyGateway,
    allowedSkips: { ...COMMON_SKIPS, 'headers.well-formed': 'it sends none of the optional OpenAI headers' },
    mustPass: [...COMMON_PASS, 'images.url-download', 'model-rules.model-omitted', 'model-rules.n-max'],
  },
];

export function referenceGateway(name: string): ReferenceGateway {
  const g = REFERENCE_GATEWAYS.find((x) => x.name === name);
  if (!g) throw new Error(`no reference gateway ${name}`);
  return g;
}
