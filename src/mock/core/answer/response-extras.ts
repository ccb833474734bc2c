// The parts of a success body that depend on the model and profile: usage (GPT image models),
// echoed settings, revised_prompt (dall-e-3), the perf block (ref 003) and metadata (ref 000).
// Token counts are plausible estimates (≈4 characters per text token, OpenAI's published image
// token costs per quality at 1024x1024 scaled by area), not a billing model.
import { pricePerImage } from '../../../contract/catalogue.js';
import type { Profile } from '../../../contract/profiles.js';
import { deref, spec, type JsonObject } from '../../../contract/spec.js';
import type { ImageJob } from '../rules/request-rules.js';
import { codePoints } from '../wording.js';

const OUTPUT_TOKENS_1024: Record<string, number> = { low: 272, medium: 1056, high: 4160 };
const MEGAPIXEL = 1024 * 1024;

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  input_tokens_details: { text_tokens: number; image_tokens: number };
  output_tokens_details?: { text_tokens: number; image_tokens: number };
}

/** Usage of `images` output images of a job (the whole request, or one streamed image). */
export function usageOf(job: ImageJob, images: number, withOutputDetails: boolean): Usage {
  const text = Math.max(1, Math.ceil(codePoints(job.prompt) / 4));
  const input = job.inputSize ?? { width: 1024, height: 1024 };
  const tilesPerImage = Math.ceil(input.width / 512) * Math.ceil(input.height / 512);
  const imageIn = job.inputImages * (85 + 170 * tilesPerImage);
  const perImage = Math.max(1, Math.round(((OUTPUT_TOKENS_1024[job.quality ?? 'medium'] ?? OUTPUT_TOKENS_1024.medium!) * job.width * job.height) / MEGAPIXEL));
  const output = perImage * images;
  const inputTokens = text + imageIn;
  return {
    input_tokens: inputTokens,
    output_tokens: output,
    total_tokens: inputTokens + output,
    input_tokens_details: { text_tokens: text, image_tokens: imageIn },
    ...(withOutputDetails ? { output_tokens_details: { text_tokens: 0, image_tokens: output } } : {}),
  };
}

/** The settings a GPT image model echoes (catalogue output.echo), resolved so none is `auto`. */
export function echoOf(job: ImageJob): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of job.model.output.echo) {
    const v = field === 'size' ? job.size : field === 'output_format' ? job.format : field === 'quality' ? job.quality : job.background;
    if (v !== undefined) out[field] = v;
  }
  return out;
}

const REVISION = ', rendered in rich detail with a balanced composition and soft natural light';

let revisedMax: number | undefined;

/** dall-e-3's rewritten prompt: the prompt, elaborated (deterministic), within the schema's maxLength. */
export function revisedPrompt(prompt: string): string {
  revisedMax ??= Number((deref<JsonObject>(spec().components.schemas.Image).properties as Record<string, JsonObject>).revised_prompt!.maxLength);
  const base = prompt.trim().replace(/[.!?\s]+$/, '');
  const text = `${base.charAt(0).toUpperCase()}${base.slice(1)}${REVISION}.`;
  return codePoints(text) > revisedMax ? Array.from(text).slice(0, revisedMax).join('') : text;
}

export interface Perf {
  request_id: string;
  model_used: string;
  size: string;
  quality?: string;
  cost_usd?: number;
  latency_ms: number;
}

export function perfOf(job: ImageJob, requestId: string, latencyMs: number): Perf {
  const price = pricePerImage(job.model, job.size, job.quality);
  return {
    request_id: requestId,
    model_used: job.model.id,
    size: job.size,
    ...(job.quality !== undefined ? { quality: job.quality } : {}),
    ...(price !== undefined ? { cost_usd: Math.round(price * job.n * 1e6) / 1e6 } : {}),
    latency_ms: latencyMs,
  };
}

/** Top-level additions of a success body: echo, usage, perf, metadata, as model and profile say. */
export function extrasOf(job: ImageJob, profile: Profile, requestId: string, latencyMs: number): Record<string, unknown> {
  const out: Record<string, unknown> = echoOf(job);
  if (job.model.output.usage) out.usage = usageOf(job, job.n, true);
  if (profile.extras.perf) out.perf = perfOf(job, requestId, latencyMs);
  if (profile.extras.metadata && job.metadata) out.metadata = job.metadata;
  return out;
}
