// The mock image gateway. `createMockCore(options)` is the whole mock as one function from a Web
// Request to a Response (core/); `startMock(options)` serves it on node:http (node/) and resolves
// to its base URL (ending in /v1) and a close function; `imagegen-contract/msw` serves it in-process.
import type { AddressInfo } from 'node:net';
import { createMockServer } from './node/server.js';
import type { MockOptions } from './options.js';
import type { Profile } from '../contract/profiles.js';

export type { MockOptions, RequestLogEntry } from './options.js';
export { SCENARIOS, SCENARIO_HEADER } from './core/gate/scenarios.js';
export { createMockServer, type MockServer } from './node/server.js';
export { createMockCore, type MockCore } from './core/mock-core.js';

export interface RunningMock {
  /** Base URL ending in the spec's base path (`http://127.0.0.1:PORT/v1`): what the SDK takes as baseURL. */
  url: string;
  /** `http://host:port`. */
  origin: string;
  port: number;
  profile: Profile;
  /** The OpenAI-compatible base URL of profiles that serve it under a prefix (`/oai/v1`). */
  openaiUrl: string;
  close(): Promise<void>;
}

export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const { server, state } = createMockServer(options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(state.options.port, state.options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    url: `${origin}${state.basePath}`,
    origin,
    port: address.port,
    profile: state.profile,
    openaiUrl: `${origin}${state.profile.openaiPrefix ?? state.basePath}`,
    close() {
      closing ??= (async () => {
        await state.progress?.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
