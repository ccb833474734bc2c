// Options of the mock gateway and their defaults. Contract facts (URL lifetime, models, operations)
// come from the profile; what is left here is the mock's own configuration.
import { randomBytes } from 'node:crypto';
import { loadProfile, normaliseProfile, type Profile } from '../contract/profiles.js';
import { readOpenapiFile } from '../contract/files.js';
import { defaultRenderThreads } from './core/media/render-pool.js';

/** One answered request, as `onRequest` reports it (tests count retries with it). */
export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  requestId: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface MockOptions {
  /** TCP port; 0 picks a free one (default 0 for startMock, 4010 for the CLI). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Built-in profile name or a profile file path, or a loaded profile (default `openai`). */
  profile?: string | Profile;
  /** Accepted bearer keys; empty or absent accepts any non-empty key. */
  apiKeys?: readonly string[];
  /** Seed of the deterministic pictures (default `imagegen-contract`). */
  seed?: string;
  /** Time every generation takes, in ms (default 0); streamed events and progress steps are spread over it. */
  latencyMs?: number;
  /** Requests per minute per API key (sliding window); absent: no limit. */
  rateLimitPerMinute?: number;
  /** The limiter's window in ms (default 60 000; `--rate-limit N/s` makes it 1000, for fast tests). */
  rateLimitWindowMs?: number;
  /** Lifetime of image URLs in seconds (default: the profile's urlTtlSeconds). */
  urlTtlSeconds?: number;
  /** Accept cross-model combinations (schema still enforced), as Prism does. */
  lenient?: boolean;
  /** HMAC key of media tokens; replicas given the same secret accept each other's URLs (default: random per process). */
  mediaSecret?: string | Uint8Array;
  /** Largest request body in bytes (default 64 MiB). */
  maxBodyBytes?: number;
  /** Byte budget of the encoded-image cache (default 64 MiB). */
  imageCacheBytes?: number;
  /** Threads that draw PNGs of 256x256 and more (default: cores - 1, at most 4; shared by the mocks of a process); 0 draws on the main thread. */
  renderThreads?: number;
  /** Clock in ms since the epoch (default Date.now); tests move it to expire URLs. */
  now?: () => number;
  /** Base URL written into image URLs (default: http://<Host header>/v1). */
  publicUrl?: string;
  /** Called after every answer. */
  onRequest?: (entry: RequestLogEntry) => void;
  /** Longest wait for a request's headers in ms (default 60 000); slower clients get 408. */
  headersTimeoutMs?: number;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  profile: Profile;
  apiKeys: ReadonlySet<string>;
  seed: string;
  latencyMs: number;
  rateLimitPerMinute: number | undefined;
  rateLimitWindowMs: number;
  urlTtlSeconds: number;
  lenient: boolean;
  mediaSecret: Buffer;
  maxBodyBytes: number;
  imageCacheBytes: number;
  renderThreads: number;
  now: () => number;
  publicUrl: string | undefined;
  onRequest: ((entry: RequestLogEntry) => void) | undefined;
  headersTimeoutMs: number;
}

const MiB = 1024 * 1024;
export const DEFAULT_SEED = 'imagegen-contract';
export const DEFAULT_MAX_BODY_BYTES = 64 * MiB;
export const DEFAULT_IMAGE_CACHE_BYTES = 64 * MiB;
export const DEFAULT_HEADERS_TIMEOUT_MS = 60_000;

/** The profile schema's default URL lifetime (used when a profile file leaves it out). */
function defaultUrlTtl(): number {
  const schema = JSON.parse(readOpenapiFile('profiles/profile.schema.json')) as { properties: { urlTtlSeconds: { default: number } } };
  return schema.properties.urlTtlSeconds.default;
}

function positiveInteger(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

export function resolveOptions(options: MockOptions = {}): ResolvedOptions {
  const profile = typeof options.profile === 'object' ? normaliseProfile(options.profile) : loadProfile(options.profile ?? 'openai');
  const secret = options.mediaSecret;
  return {
    port: positiveInteger('port', options.port, 0, 0),
    host: options.host ?? '127.0.0.1',
    profile,
    apiKeys: new Set((options.apiKeys ?? []).filter((k) => k.length > 0)),
    seed: options.seed ?? DEFAULT_SEED,
    latencyMs: positiveInteger('latencyMs', options.latencyMs, 0, 0),
    rateLimitPerMinute: options.rateLimitPerMinute === undefined ? undefined : positiveInteger('rateLimitPerMinute', options.rateLimitPerMinute, 0),
    rateLimitWindowMs: positiveInteger('rateLimitWindowMs', options.rateLimitWindowMs, 60_000, 1),
    urlTtlSeconds: positiveInteger('urlTtlSeconds', options.urlTtlSeconds, profile.urlTtlSeconds ?? defaultUrlTtl()),
    lenient: options.lenient === true,
    mediaSecret: secret === undefined ? randomBytes(32) : typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret),
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    imageCacheBytes: positiveInteger('imageCacheBytes', options.imageCacheBytes, DEFAULT_IMAGE_CACHE_BYTES, 0),
    renderThreads: positiveInteger('renderThreads', options.renderThreads, defaultRenderThreads(), 0),
    now: options.now ?? Date.now,
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    onRequest: options.onRequest,
    headersTimeoutMs: positiveInteger('headersTimeoutMs', options.headersTimeoutMs, DEFAULT_HEADERS_TIMEOUT_MS),
  };
}

/** `N/min` (or a bare N) as requests per minute. */
export function parseRateLimit(text: string): number | undefined {
  return parseRateLimitSpec(text)?.limit;
}

/** `60/min` (or `60`) and `5/s`: requests per window. */
export function parseRateLimitSpec(text: string): { limit: number; windowMs: number } | undefined {
  const m = /^([1-9][0-9]{0,8})(?:\/(min|m|minute|s|sec|second))?$/.exec(text.trim());
  return m ? { limit: Number(m[1]), windowMs: m[2]?.startsWith('s') ? 1000 : 60_000 } : undefined;
}
