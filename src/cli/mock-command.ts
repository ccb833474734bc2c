// `imagegen-contract mock`: serves the mock image gateway until SIGINT/SIGTERM, then closes
// cleanly and exits 0. Bad usage is one line and exit 2 (UsageError).
import { supportsOperation } from '../contract/catalogue.js';
import { ProfileError, builtInProfiles, loadProfile, profileModels, type Profile } from '../contract/profiles.js';
import { SCENARIOS, SCENARIO_HEADER, startMock, type MockOptions } from '../mock/index.js';
import { parseRateLimitSpec } from '../mock/options.js';
import { isWorker, serveAsWorker, startWorkers } from '../mock/node/workers.js';
import { UsageError } from './usage-error.js';
import { parseCommandArgs } from './parse-command-args.js';

const DEFAULT_PORT = 4010;

function help(): string {
  const scenarios = Object.entries(SCENARIOS)
    .map(([name, s]) => `  ${name.padEnd(15)} ${s.description}`)
    .join('\n');
  return `usage: imagegen-contract mock [options]

Serves the image-generation contract (OpenAI /v1/images/* and gateway dialects) with real,
deterministic images. Strict like the real API unless --lenient.

options:
  --port N             TCP port (default ${DEFAULT_PORT}; 0 picks a free port)
  --host H             interface (default 127.0.0.1)
  --profile P          ${Object.keys(builtInProfiles()).join(' | ')} | path to a profile file (default openai)
  --api-key KEY        accepted bearer key (repeatable; default: any non-empty key)
  --seed S             seed of the deterministic pictures
  --latency MS         time each generation takes (streams and progress events are spread over it)
  --rate-limit N/min   requests per minute (or N/s) per key (429 rate_limit_exceeded with Retry-After)
  --url-ttl S          lifetime of image URLs in seconds (default: the profile's)
  --media-secret S     HMAC secret of image URLs, shared by replicas (default: random)
  --lenient            accept cross-model combinations (the schema is still enforced)
  --public-url URL     base URL written into image URLs (default: http://<Host header>/v1)
  --workers N          N replicas on the one port (node:cluster), sharing the media secret
  -h, --help           this help

failure scenarios: header '${SCENARIO_HEADER}: <name>[:N][:COUNT|:once]', Prism's 'Prefer: code=NNN' or
'Prefer: example=<ErrorExample>', or '[[<name>]]' in the prompt. Any error kind of the spec is a
name too (server_error, permission_denied, ...). ':COUNT' (':once' = 1) fails the first COUNT
identical requests (same body), then lets one through, whatever headers the client sends.
${scenarios}`;
}

function integer(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${text}'`);
  return Number(text);
}

export interface MockArgs extends MockOptions {
  /** Replicas (node:cluster); 1: this process serves. */
  workers: number;
}

const MAX_WORKERS = 64;

export function parseMockArgs(argv: string[]): MockArgs | 'help' {
  const values = parseCommandArgs(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    profile: { type: 'string' },
    'api-key': { type: 'string', multiple: true },
    seed: { type: 'string' },
    latency: { type: 'string' },
    'rate-limit': { type: 'string' },
    'url-ttl': { type: 'string' },
    'media-secret': { type: 'string' },
    lenient: { type: 'boolean' },
    workers: { type: 'string' },
    'public-url': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  const options: MockArgs = { port: integer('port', values.port, 0, 65535) ?? DEFAULT_PORT, workers: integer('workers', values.workers, 1, MAX_WORKERS) ?? 1 };
  if (values.host !== undefined) options.host = values.host;
  try {
    options.profile = loadProfile(values.profile ?? 'openai');
  } catch (e) {
    if (e instanceof ProfileError) throw new UsageError(e.message);
    throw e;
  }
  const keys = values['api-key'];
  if (keys) {
    if (keys.some((k) => k.trim() === '')) throw new UsageError('--api-key must not be empty');
    options.apiKeys = keys;
  }
  if (values.seed !== undefined) options.seed = values.seed;
  const latency = integer('latency', values.latency, 0, 600_000);
  if (latency !== undefined) options.latencyMs = latency;
  if (values['rate-limit'] !== undefined) {
    const limit = parseRateLimitSpec(values['rate-limit']);
    if (limit === undefined) throw new UsageError(`--rate-limit must look like 60/min (or 5/s), got '${values['rate-limit']}'`);
    options.rateLimitPerMinute = limit.limit;
    if (limit.windowMs !== 60_000) options.rateLimitWindowMs = limit.windowMs;
  }
  const ttl = integer('url-ttl', values['url-ttl'], 1, 365 * 86400);
  if (ttl !== undefined) options.urlTtlSeconds = ttl;
  if (values['media-secret'] !== undefined) {
    if (values['media-secret'].length === 0) throw new UsageError('--media-secret must not be empty');
    options.mediaSecret = values['media-secret'];
  }
  if (values.lenient) options.lenient = true;
  const publicUrl = values['public-url'];
  if (publicUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(publicUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash)
      throw new UsageError(`--public-url must be an http(s) base URL such as https://mock.example.com/v1, got '${publicUrl}'`);
    options.publicUrl = publicUrl;
  }
  return options;
}

function stopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export async function run(argv: string[]): Promise<number> {
  const args = parseMockArgs(argv);
  if (args === 'help') {
    process.stdout.write(`${help()}\n`);
    return 0;
  }
  const { workers, ...options } = args;
  if (isWorker()) {
    // A replica started by `--workers` (this same command line, in a cluster worker).
    const mock = await serveAsWorker(options);
    await stopSignal();
    await mock.close();
    setTimeout(() => process.exit(0), 2000).unref();
    return 0;
  }
  const profile = options.profile as Profile;
  let served: { url: string; openaiUrl: string; close(): Promise<void> };
  if (workers > 1) {
    if (profile.progressEvents)
      process.stderr.write(`imagegen-contract mock: with --workers, Socket.IO progress events reach only sockets connected to the replica that serves the request\n`);
    const cluster = await startWorkers(workers, options, (line) => process.stderr.write(`${line}\n`));
    served = { ...cluster.ready, close: () => cluster.stop() };
  } else {
    served = await startMock(options);
  }
  const key = options.apiKeys?.[0] ?? 'sk-mock';
  const model = profileModels(profile).find((m) => supportsOperation(m, 'createImage'))?.id ?? '';
  const mock = { ...served, profile };
  const lines = [
    `imagegen-contract mock (profile ${mock.profile.name}${options.lenient ? ', lenient' : ''}${workers > 1 ? `, ${workers} workers` : ''}) listening on ${mock.url}`,
    `  SDK:  new OpenAI({ baseURL: '${mock.openaiUrl}', apiKey: '${key}' })`,
    `  curl: curl ${mock.openaiUrl}/images/generations -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' -d '{"model":"${model}","prompt":"a cute baby sea otter"}'`,
  ];
  if (!mock.profile.operations.includes('createImage') || !model)
    lines[2] = `  curl: curl ${mock.url}/models -H 'Authorization: Bearer ${key}'`;
  process.stdout.write(`${lines.join('\n')}\n`);

  await stopSignal();
  await mock.close();
  // Anything a client left open must not keep the process alive after a clean close.
  setTimeout(() => process.exit(0), 2000).unref();
  return 0;
}
