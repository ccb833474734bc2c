// Realistic single defects on the reference gateways (not the interposer of test/broken-gateways):
// each switches on one fault in one gateway's own code, names the reference or fact it breaks and
// the MUST checks that must catch it. The runs are reduced to the checks named (and what they read).
import type { StartOptions } from './gateways.js';

export interface ReferenceDefect {
  /** Kebab id, unique. */
  id: string;
  gateway: string;
  defect: string;
  /** Gateway options besides the defect (applied to the clean control run too). */
  setup?: Omit<StartOptions, 'apiKey' | 'defect'>;
  models: string[];
  /** MUST checks that fail on the defect and pass on the clean gateway. */
  caughtBy: string[];
  /** Checks to run (default: caughtBy). */
  only?: string[];
  /** Run options (e.g. no waiting on 429s). */
  maxRetryWaitMs?: number;
  source: string;
}

/** A free-tier key (5 images a minute) meets its limit within these: the 429s the header checks judge. */
const FREE_TIER_CHECKS = ['success.status-200', 'images.response-format-b64', 'model-rules.n-max', 'headers.retry-after', 'headers.rate-limit-envelope'];

export const REFERENCE_DEFECTS: ReferenceDefect[] = [
  // OpenAI's own API (facts sheet)
  { id: 'openai-n-clamped', gateway: 'openai', defect: 'n-clamped', models: ['dall-e-2'], caughtBy: ['negative.n-eleven', 'model-rules.n-over-max'], source: 'facts §6.8 (n: 11 is a 400), §4.1 (Portkey clamps n to 10)' },
  { id: 'openai-missing-prompt-500', gateway: 'openai', defect: 'missing-prompt-500', models: ['dall-e-2'], caughtBy: ['negative.missing-prompt'], source: 'facts §6.8, §5.7 (LiteLLM PR #40126: missing prompt gave 500)' },
  { id: 'openai-wrong-key-accepted', gateway: 'openai', defect: 'wrong-key-accepted', models: ['dall-e-2'], caughtBy: ['auth.wrong-key', 'sdk.authentication-error'], source: 'facts §2.1 (401 invalid_api_key), §6.8' },
  { id: 'openai-created-ms', gateway: 'openai', defect: 'created-ms', models: ['dall-e-2'], caughtBy: ['success.created-unix-seconds'], source: 'facts §1.4 (created: unixtime in seconds)' },
  { id: 'openai-error-200', gateway: 'openai', defect: 'error-200', models: ['dall-e-3'], caughtBy: ['success.no-error-key', 'success.schema'], source: 'facts §4.5, §4.3 (one-api Ali adaptor: HTTP 200 with an error body)' },
  { id: 'openai-gpt-url', gateway: 'openai', defect: 'gpt-url', models: ['gpt-image-1'], caughtBy: ['images.b64-only-models'], source: 'facts §1.4 (url not supported for GPT image models), §6.4' },
  { id: 'openai-webp-ignored', gateway: 'openai', defect: 'webp-ignored', models: ['gpt-image-1'], caughtBy: ['images.output-format-honoured'], source: 'facts §6.11, §4.1 (Portkey main drops output_format)' },
  { id: 'openai-multi-image-first-only', gateway: 'openai', defect: 'multi-image-first-only', models: ['gpt-image-1'], caughtBy: ['edits.every-image-used'], source: 'facts §5.4 (BerriAI/litellm#14488: only the first image used)' },
  { id: 'openai-stream-as-json', gateway: 'openai', defect: 'stream-as-json', models: ['gpt-image-1'], caughtBy: ['streaming.not-plain-json', 'streaming.content-type'], source: 'facts §6.12, §3.2 (stream ignored: the SDK iterator yields nothing)' },
  { id: 'openai-usage-chat-style', gateway: 'openai', defect: 'usage-chat-style', models: ['gpt-image-1'], caughtBy: ['success.usage-shape'], source: 'facts §5.8 (LocalAI#7354 chat-style usage), §1.4 ImageGenUsage' },
  { id: 'openai-jpeg-when-png', gateway: 'openai', defect: 'jpeg-when-png', models: ['gpt-image-1'], caughtBy: ['images.format-matches', 'model-rules.default-output-format'], source: 'facts §1.2 (output_format default png), §6.3' },
  { id: 'openai-url-404', gateway: 'openai', defect: 'url-404', models: ['dall-e-2'], caughtBy: ['images.url-download'], source: 'facts §6.4 (a url is fetchable during the test)' },
  { id: 'openai-request-id-missing', gateway: 'openai', defect: 'request-id-missing', models: ['dall-e-2'], caughtBy: ['headers.request-id-success', 'headers.request-id-error'], source: 'facts §2.2, §6.13 (x-request-id on success and error)' },
  { id: 'openai-url-never-expires', gateway: 'openai', defect: 'url-never-expires', setup: { urlTtlSeconds: 2 }, models: ['dall-e-2'], caughtBy: ['urls.expire-after-ttl'], source: 'facts §1.2 (URLs are valid for 60 minutes), §5.19 (se= expiry on blob URLs)' },
  { id: 'openai-quota-as-rate-limit', gateway: 'openai', defect: 'quota-as-rate-limit', models: ['dall-e-2'], caughtBy: ['errors.quota'], maxRetryWaitMs: 0, source: 'facts §2.1 (429 insufficient_quota vs rate_limit_exceeded), §2.2 (no Retry-After on quota errors)' },
  { id: 'openai-edit-any-format', gateway: 'openai', defect: 'edit-any-format', models: ['dall-e-2'], caughtBy: ['edits.format-rejected'], source: 'facts §1.6 (dall-e-2 edits: exactly one square PNG under 4MB)' },
  { id: 'openai-mask-unchecked', gateway: 'openai', defect: 'mask-unchecked', models: ['gpt-image-1'], caughtBy: ['edits.mask-size-mismatch'], source: 'facts §1.6 (mask: a PNG with the same dimensions as image)' },
  { id: 'openai-transparent-ignored', gateway: 'openai', defect: 'transparent-ignored', models: ['gpt-image-1'], caughtBy: ['images.transparent-background'], source: 'facts §1.2 (background transparent, png or webp), §6.11 (verify the alpha channel)' },
  { id: 'openai-stream-no-completed', gateway: 'openai', defect: 'stream-no-completed', models: ['gpt-image-1'], caughtBy: ['streaming.event-sequence'], source: 'facts §1.5 (exactly one image_generation.completed ends the stream), §6.12' },
  { id: 'openai-echo-auto', gateway: 'openai', defect: 'echo-auto', models: ['gpt-image-1'], caughtBy: ['success.echo-fields'], source: 'facts §1.4 (response size never auto), §4.2 (LiteLLM echoes size "auto")' },
  { id: 'openai-response-format-accepted', gateway: 'openai', defect: 'response-format-accepted', models: ['gpt-image-1'], caughtBy: ['model-rules.unsupported-params-rejected'], source: 'facts §2.1 and §5.16 (response_format on GPT image: 400 unknown_parameter)' },
  { id: 'openai-transparent-jpeg-flattened', gateway: 'openai', defect: 'transparent-jpeg-flattened', models: ['gpt-image-1'], caughtBy: ['model-rules.transparent-needs-alpha-format'], source: 'facts §1.2 (transparent needs png or webp), §6.8' },
  { id: 'openai-partial-images-clamped', gateway: 'openai', defect: 'partial-images-clamped', models: ['gpt-image-1'], caughtBy: ['model-rules.range-params-rejected'], source: 'facts §1.2 (partial_images 0-3), §6.8 (partial_images: 4 is a 400), §4.1 (clamping)' },
  { id: 'openai-edit-non-square-accepted', gateway: 'openai', defect: 'edit-non-square-accepted', models: ['dall-e-2'], caughtBy: ['edits.non-square-rejected'], source: 'facts §1.6 (dall-e-2: exactly one square PNG), §6.16' },
  { id: 'openai-stream-event-missing-fields', gateway: 'openai', defect: 'stream-event-missing-fields', models: ['gpt-image-1'], caughtBy: ['streaming.events-validate'], source: 'facts §1.5 (created_at, size, quality, background, output_format are required event fields)' },
  { id: 'openai-variations-501', gateway: 'openai', defect: 'variations-501', models: ['dall-e-2'], caughtBy: ['variations.create'], source: 'facts §1.1 (variations for dall-e-2), §6.16 (501 is "not implemented", not a pass)' },

  // ref 000 (ScaiGrid)
  { id: 'scaigrid-native-validation-500', gateway: 'scaigrid', defect: 'native-validation-500', models: ['openai/dall-e-3'], caughtBy: ['native.validation-error', 'native.model-required'], source: 'ref 000 error table (VALIDATION_ERROR: missing prompt or invalid size)' },
  { id: 'scaigrid-native-openai-envelope', gateway: 'scaigrid', defect: 'native-openai-envelope', models: ['openai/dall-e-3'], caughtBy: ['native.validation-error', 'native.unauthenticated'], source: 'ref 000 (native errors carry its own codes, not an OpenAI body)' },
  { id: 'scaigrid-native-unwrapped', gateway: 'scaigrid', defect: 'native-unwrapped', models: ['openai/dall-e-3'], caughtBy: ['native.success-envelope'], source: 'ref 000 response shape {"status": "ok", "data": {...}}' },
  { id: 'scaigrid-media-unsigned', gateway: 'scaigrid', defect: 'media-unsigned', models: ['openai/dall-e-3'], caughtBy: ['media.forged-token'], only: ['media.token-download', 'media.forged-token'], source: 'ref 000 (media proxy: short-lived token; a forged one must not be served)' },
  { id: 'scaigrid-wrong-key-403', gateway: 'scaigrid', defect: 'wrong-key-403', models: ['openai/dall-e-3'], caughtBy: ['auth.wrong-key'], source: 'facts §6.8 (a wrong key is 401, not 403: SDKs raise PermissionDeniedError)' },
  { id: 'scaigrid-n-ignored', gateway: 'scaigrid', defect: 'n-ignored', models: ['openai/dall-e-2'], caughtBy: ['model-rules.n-max', 'native.n-many'], source: 'ref 000 (n: number of images, typically 1-10); facts §5.14 (new-api ignored n)' },

  { id: 'scaigrid-size-unchecked', gateway: 'scaigrid', defect: 'size-unchecked', models: ['openai/dall-e-3'], caughtBy: ['native.invalid-size', 'model-rules.size-foreign-rejected'], source: 'ref 000 error table (VALIDATION_ERROR: invalid size), sizes per model' },
  { id: 'scaigrid-media-never-expires', gateway: 'scaigrid', defect: 'media-never-expires', setup: { urlTtlSeconds: 2 }, models: ['openai/dall-e-3'], caughtBy: ['urls.expire-after-ttl'], source: 'ref 000 (URLs expire after 1 hour by default)' },
  { id: 'scaigrid-budget-backend-error', gateway: 'scaigrid', defect: 'budget-backend-error', models: ['openai/dall-e-3'], caughtBy: ['errors.budget'], source: 'ref 000 error table (BUDGET_EXCEEDED: the image budget cap)' },

  { id: 'scaigrid-native-b64-ignored', gateway: 'scaigrid', defect: 'native-b64-ignored', models: ['openai/dall-e-3'], caughtBy: ['native.b64-json'], source: 'ref 000 (response_format "b64_json": inline base64 instead)' },
  { id: 'scaigrid-media-octet-stream', gateway: 'scaigrid', defect: 'media-octet-stream', models: ['openai/dall-e-3'], caughtBy: ['media.token-download'], source: 'ref 000 (the media proxy serves the image; saved as output.png)' },

  // ref 001 (provider slugs, three-key errors)
  { id: 'slugs-envelope-missing-code', gateway: 'provider-slugs', defect: 'envelope-missing-code', models: ['dall-e-3'], caughtBy: ['negative.missing-prompt', 'auth.wrong-key'], source: 'ref 001 error body {"error": {"message", "type", "code"}}' },
  { id: 'slugs-slug-rejected', gateway: 'provider-slugs', defect: 'slug-rejected', models: ['dall-e-3'], caughtBy: ['model-ids.other-form-accepted'], source: 'ref 001 (model: "Provider/model: openai/dall-e-3")' },
  { id: 'slugs-url-404', gateway: 'provider-slugs', defect: 'url-404', models: ['dall-e-2'], caughtBy: ['images.url-download'], source: 'ref 001 (url: "URL to download the image")' },
  { id: 'slugs-n-ignored', gateway: 'provider-slugs', defect: 'n-ignored', models: ['dall-e-2'], caughtBy: ['model-rules.n-max'], source: 'ref 001 (Multiple Images (DALL-E 2): n 4 gives 4 items)' },
  { id: 'slugs-error-as-200', gateway: 'provider-slugs', defect: 'error-as-200', models: ['dall-e-3'], caughtBy: ['negative.missing-prompt', 'negative.n-zero', 'model-rules.size-foreign-rejected'], source: 'ref 001 (invalid_size is an error), facts §4.5 (200 with an error body)' },

  { id: 'slugs-validation-422', gateway: 'provider-slugs', defect: 'validation-422', models: ['dall-e-3'], caughtBy: ['negative.missing-prompt', 'negative.n-zero'], source: 'ref 001 (400 error bodies), facts §6.8 (missing prompt: 400, not 422)' },
  { id: 'slugs-prompt-unlimited', gateway: 'provider-slugs', defect: 'prompt-unlimited', models: ['dall-e-2'], caughtBy: ['model-rules.prompt-over-max'], source: 'facts §1.2 (prompt limit 1000 for dall-e-2), forwarded as ref 001 forwards dall-e-2' },
  { id: 'slugs-oversized-drop', gateway: 'provider-slugs', defect: 'oversized-drop', models: ['dall-e-3'], caughtBy: ['negative.oversized-body'], source: 'facts §3.4 (a dropped connection is retried as a connection error)' },
  { id: 'slugs-content-policy-500', gateway: 'provider-slugs', defect: 'content-policy-500', models: ['dall-e-3'], caughtBy: ['errors.content-policy'], source: 'ref 001 (content_policy_violation error body), facts §3.4 (a 5xx is retried three times)' },

  // ref 002 (Socket.IO progress)
  { id: 'progress-wrong-request-id', gateway: 'socket-progress', defect: 'progress-wrong-request-id', models: ['stable-diffusion-xl'], caughtBy: ['progress.request-id-matches'], source: 'ref 002 (progress for the generation), AsyncAPI request_id = x-request-id' },
  { id: 'progress-no-completed', gateway: 'socket-progress', defect: 'progress-no-completed', models: ['stable-diffusion-xl'], caughtBy: ['progress.order'], source: 'ref 002 (percentage updates during the job), AsyncAPI order (one completed event ends it)' },
  { id: 'progress-missing-multi', gateway: 'socket-progress', defect: 'progress-missing-multi', models: ['stable-diffusion-xl'], caughtBy: ['progress.n-many'], source: 'ref 002 (progress updates during long-running generation jobs, whatever n)' },
  { id: 'progress-any-token', gateway: 'socket-progress', defect: 'progress-any-token', models: ['stable-diffusion-xl'], caughtBy: ['progress.auth-required'], source: 'ref 002 (progress of your jobs), AsyncAPI (the client connects with its API key)' },
  { id: 'progress-percent-float', gateway: 'socket-progress', defect: 'progress-percent-float', models: ['stable-diffusion-xl'], caughtBy: ['progress.events-validate'], source: 'ref 002 (percentage updates), AsyncAPI ProgressEvent (percent: integer 0-100)' },
  { id: 'progress-empty-prompt-accepted', gateway: 'socket-progress', defect: 'empty-prompt-accepted', models: ['dall-e-3'], caughtBy: ['negative.empty-prompt'], source: 'ref 002 (prompt: 1-4000 characters)' },
  { id: 'progress-truncated-image', gateway: 'socket-progress', defect: 'truncated-image', models: ['dall-e-3'], caughtBy: ['images.decodes'], source: 'ref 002 (url / b64_json: the generated image), facts §6.3' },
  { id: 'progress-wrong-image-size', gateway: 'socket-progress', defect: 'wrong-image-size', models: ['dall-e-3'], caughtBy: ['images.dimensions'], source: 'ref 002 (size: image dimensions WIDTHxHEIGHT)' },
  { id: 'progress-revised-prompt-empty', gateway: 'socket-progress', defect: 'revised-prompt-empty', models: ['dall-e-3'], caughtBy: ['success.revised-prompt'], source: 'ref 002 (data[].revised_prompt: the prompt as revised), facts §4.5 (empty-string revised_prompt)' },
  { id: 'progress-wrong-key-accepted', gateway: 'socket-progress', defect: 'wrong-key-accepted', models: ['dall-e-3'], caughtBy: ['auth.wrong-key'], source: 'ref 002 (Authorization: Bearer aigw_sk_... API key)' },

  // ref 003 (perf block, tiers)
  { id: 'perf-cost-negative', gateway: 'perf-block', defect: 'perf-cost-negative', models: ['dall-e-3'], caughtBy: ['perf.cost-latency', 'success.schema'], source: 'ref 003 (perf.cost_usd: cost of this generation)' },
  { id: 'perf-request-id-mismatch', gateway: 'perf-block', defect: 'perf-request-id-mismatch', models: ['dall-e-3'], caughtBy: ['perf.request-id'], source: 'ref 003 (perf.request_id: unique request identifier for tracking)' },
  { id: 'perf-missing', gateway: 'perf-block', defect: 'perf-missing', models: ['dall-e-3'], caughtBy: ['perf.present'], source: 'ref 003 (response fields perf.*)' },
  { id: 'perf-model-wrong', gateway: 'perf-block', defect: 'perf-model-wrong', models: ['dall-e-3'], caughtBy: ['perf.model-used'], source: 'ref 003 (perf.model_used: model that generated the image)' },
  { id: 'perf-size-wrong', gateway: 'perf-block', defect: 'perf-size-wrong', models: ['dall-e-2'], caughtBy: ['perf.size-quality'], source: 'ref 003 (perf.size: image dimensions)' },
  { id: 'perf-missing-key-accepted', gateway: 'perf-block', defect: 'missing-key-accepted', models: ['dall-e-3'], caughtBy: ['auth.missing-key'], source: 'ref 003 (Authentication: include your API key in the Authorization header)' },
  { id: 'perf-b64-data-url', gateway: 'perf-block', defect: 'b64-data-url', models: ['dall-e-3'], caughtBy: ['images.b64-plain-base64'], source: 'ref 003 (data[].b64_json: base64-encoded image), facts §6.3' },
  { id: 'perf-retry-after-missing', gateway: 'perf-block', defect: 'retry-after-missing', setup: { tier: 'free' }, models: ['dall-e-2'], caughtBy: ['headers.retry-after'], only: FREE_TIER_CHECKS, maxRetryWaitMs: 0, source: 'ref 003 (429 rate limit, Free tier 5 images/minute), facts §2.2 (Retry-After)' },
  { id: 'perf-rate-limit-text-plain', gateway: 'perf-block', defect: 'rate-limit-text-plain', setup: { tier: 'free' }, models: ['dall-e-2'], caughtBy: ['headers.rate-limit-envelope'], only: FREE_TIER_CHECKS, maxRetryWaitMs: 0, source: 'ref 003 (429 Rate Limit error response), facts §5.21 (Cloudflare text/plain "error code: 1015")' },
  { id: 'perf-default-model-wrong', gateway: 'perf-block', defect: 'default-model-wrong', models: ['dall-e-3'], caughtBy: ['model-rules.model-omitted'], source: 'ref 003 (model default dall-e-3)' },
  { id: 'perf-size-ignored', gateway: 'perf-block', defect: 'size-ignored', models: ['flux-pro'], caughtBy: ['model-rules.custom-size-accepted'], source: 'ref 003 (flux-pro: 1024x1024, custom sizes)' },
  { id: 'perf-validation-500', gateway: 'perf-block', defect: 'validation-500', models: ['dall-e-3'], caughtBy: ['negative.n-zero', 'model-rules.n-over-max'], source: 'ref 003 (400 Bad Request), facts §3.4 (SDKs retry 5xx)' },

  // ref 004 (dall-e only, default dall-e-2)
  { id: 'dalle-default-model-wrong', gateway: 'dalle-only', defect: 'default-model-wrong', models: ['dall-e-2'], caughtBy: ['model-rules.model-omitted'], source: 'ref 004 (model: default dall-e-2)' },
  { id: 'dalle-prompt-limit-bytes', gateway: 'dalle-only', defect: 'prompt-limit-bytes', models: ['dall-e-2'], caughtBy: ['model-rules.prompt-max-accepted'], source: 'ref 004 (max 1000 chars for dall-e-2), facts §6.10 (one-api counts bytes)' },
  { id: 'dalle-size-ignored', gateway: 'dalle-only', defect: 'size-ignored', models: ['dall-e-2'], caughtBy: ['model-rules.size-allowed', 'images.dimensions'], source: 'ref 004 (size 256x256 | 512x512 | 1024x1024)' },
  { id: 'dalle-url-never-expires', gateway: 'dalle-only', defect: 'url-never-expires', setup: { urlTtlSeconds: 2 }, models: ['dall-e-2'], caughtBy: ['urls.expire-after-ttl'], source: 'ref 004 upstream (facts §1.2: URLs valid for 60 minutes)' },
  { id: 'dalle-unknown-model-500', gateway: 'dalle-only', defect: 'unknown-model-500', models: ['dall-e-2'], caughtBy: ['negative.unknown-model'], source: 'ref 004 (model: dall-e-2, dall-e-3 only), facts §3.4 (5xx retried)' },
  { id: 'dalle-success-text-plain', gateway: 'dalle-only', defect: 'success-text-plain', models: ['dall-e-2'], caughtBy: ['success.content-type-json'], source: 'ref 004 (200 application/json ImageResponse), facts §3.2 (other types reach SDK users as a string)' },
  { id: 'dalle-default-size-wrong', gateway: 'dalle-only', defect: 'default-size-wrong', models: ['dall-e-2'], caughtBy: ['model-rules.default-size'], source: 'ref 004 (size default 1024x1024)' },
  { id: 'dalle-created-ms', gateway: 'dalle-only', defect: 'created-ms', models: ['dall-e-2'], caughtBy: ['success.created-unix-seconds'], source: 'ref 004 (created: the Unix timestamp)' },
  { id: 'dalle-n-clamped', gateway: 'dalle-only', defect: 'n-clamped', models: ['dall-e-3'], caughtBy: ['model-rules.n-over-max'], source: 'ref 004 (n: 1 for dall-e-3)' },
];

/**
 * Defects the suite cannot see yet: each is run, and the test asserts it still passes unnoticed, so
 * closing the gap (a new check) makes the test fail and the entry moves to REFERENCE_DEFECTS.
 */
export const REFERENCE_GAPS: Array<ReferenceDefect & { missing: string }> = [
];
