// `imagegen-contract/msw`: the mock gateway as MSW request handlers, in-process. The handlers
// answer every request to the origin (OpenAI's by default) with the same core the node:http
// mock runs (src/mock/core): strict rules, real images, contract errors, streams, scenarios,
// rate limits, and image URLs on the same origin that the handlers also serve. No port is opened.
//
//   import { setupServer } from 'msw/node';
//   import { imageHandlers } from 'imagegen-contract/msw';
//   const server = setupServer(...imageHandlers({ apiKey: 'sk-test' }));
//   releaseResponseClones(server); // only needed for SDK retries, see below
//   server.listen({ onUnhandledRequest: 'error' });
//
// Socket.IO progress events need a server; in-process, a `progress` hook receives the same runs.
import { http, type HttpHandler, type LifeCycleEventsMap } from 'msw';
import { createMockCore, type MockCore } from '../mock/core/mock-core.js';
import type { ProgressHub } from '../mock/core/answer/progress.js';
import type { MockOptions } from '../mock/options.js';

export type { ProgressHub, ProgressRun, ProgressStart } from '../mock/core/answer/progress.js';

/** OpenAI's API origin: the official SDKs' default base URL is `https://api.openai.com/v1`. */
export const OPENAI_ORIGIN = 'https://api.openai.com';

export interface ImageHandlerOptions extends Omit<MockOptions, 'port' | 'host' | 'apiKeys'> {
  /** Origin(s) to serve, e.g. `https://gateway.example.com` (default OpenAI's); the contract is under the spec's base path (`/v1`). */
  origin?: string | readonly string[];
  /** The one accepted bearer key (absent: any non-empty key). */
  apiKey?: string;
  /** Accepted bearer keys (with apiKey: both). */
  apiKeys?: readonly string[];
  /** Receives each generation's progress (what the server sends as Socket.IO events), steps spread over the latency. */
  progress?: ProgressHub;
}

/** The handlers, with the core behind them (its state holds the options in force). */
export type ImageHandlers = HttpHandler[] & { core: MockCore };

function originOf(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`imageHandlers: origin must be an absolute http(s) URL, got '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`imageHandlers: origin must be http or https, got '${text}'`);
  return url.origin;
}

export function imageHandlers(options: ImageHandlerOptions = {}): ImageHandlers {
  const { origin, apiKey, apiKeys, progress, ...rest } = options;
  const keys = [...(apiKey !== undefined ? [apiKey] : []), ...(apiKeys ?? [])];
  const core = createMockCore({ ...rest, ...(keys.length > 0 ? { apiKeys: keys } : {}) });
  if (progress) core.state.progress = progress;
  const origins = [...new Set((typeof origin === 'string' ? [origin] : (origin ?? [OPENAI_ORIGIN])).map(originOf))];
  const handlers = origins.map((o) => http.all(`${o}/*`, ({ request }) => core.fetch(request)));
  return Object.assign(handlers, { core });
}

interface WithEvents {
  events: {
    on(event: 'response:mocked', listener: (args: LifeCycleEventsMap['response:mocked'][0]) => void): void;
    removeListener(event: 'response:mocked', listener: (args: LifeCycleEventsMap['response:mocked'][0]) => void): void;
  };
}

/**
 * MSW 2 hands every `response:mocked` listener a clone of each mocked response, and its own
 * listener is always there, so every mocked body is tee'd and one branch is never read. Undici's
 * tee then never settles `body.cancel()` on the other branch, and the openai SDK cancels the body
 * of every 429/5xx it retries: a retry through MSW hangs (mswjs/interceptors#799). This cancels
 * each clone nobody started reading (a tick later, so listeners that read it still can), which
 * also stops MSW buffering whole image bodies. Returns the unsubscribe function.
 */
export function releaseResponseClones(server: WithEvents): () => void {
  const release = ({ response }: LifeCycleEventsMap['response:mocked'][0]) => {
    setImmediate(() => {
      if (response.body && !response.body.locked) void response.body.cancel().catch(() => {});
    });
  };
  server.events.on('response:mocked', release);
  return () => server.events.removeListener('response:mocked', release);
}
