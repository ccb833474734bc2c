// Starts a gateway for the broken-gateway tests: real mock(s) with the setup's profile and options,
// behind an interposer running the defect (or nothing: the correct gateway), and runs the suite.
import { runConformance, type ConformanceReport } from '../../src/conformance/index.js';
import { startMock, type MockOptions } from '../../src/mock/index.js';
import { chain, passThrough, startInterposer, type Middleware } from './interposer.js';

export const GATEWAY_KEY = 'sk-broken-gateways-0123456789abcdef';

/** What a run needs besides the defect: applied to the correct gateway of the control run too. */
export interface GatewaySetup {
  /** Built-in profile (default openai). */
  profile?: string;
  /** Models under test (default: the profile's default). */
  models?: string[];
  /** Checks or areas to run (default: the whole suite). */
  only?: string[];
  /** Image budget of the run (default 20). */
  maxImages?: number;
  /** Mock options besides port, profile, seed and key. */
  mock?: Partial<MockOptions>;
  /** Mock replicas behind the interposer (default 1); the correct gateway uses the first. */
  replicas?: number;
  /** Conditions of the upstream (e.g. a one-off rate limit), between the defect and the mock. */
  upstream?: Middleware;
}

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

export async function startGateway(setup: GatewaySetup, defect?: Middleware): Promise<RunningGateway> {
  const profile = setup.profile ?? 'openai';
  const mocks = await Promise.all(
    Array.from({ length: setup.replicas ?? 1 }, () => startMock({ ...setup.mock, port: 0, profile, seed: 'broken-gateways', apiKeys: [GATEWAY_KEY] })),
  );
  const upstream = setup.upstream ?? passThrough;
  const interposer = await startInterposer(
    mocks.map((m) => m.origin),
    defect ? chain(defect, upstream) : upstream,
    { upstreamKey: GATEWAY_KEY },
  );
  return {
    url: `${interposer.origin}${new URL(mocks[0]!.url).pathname}`,
    async close() {
      await interposer.close();
      await Promise.all(mocks.map((m) => m.close()));
    },
  };
}

/** Runs the suite against the setup's gateway, with the defect when given. */
export async function runAgainst(setup: GatewaySetup, defect?: Middleware): Promise<ConformanceReport> {
  const gateway = await startGateway(setup, defect);
  try {
    return await runConformance({
      baseUrl: gateway.url,
      apiKey: GATEWAY_KEY,
      profile: setup.profile ?? 'openai',
      ...(setup.models ? { models: setup.models } : {}),
      ...(setup.only ? { only: setup.only } : {}),
      maxImages: setup.maxImages ?? 20,
      timeoutMs: 10_000,
    });
  } finally {
    await gateway.close();
  }
}

/** `key: expected …; observed …` for every failed or errored result. */
export function failures(report: ConformanceReport): string[] {
  return report.results
    .filter((r) => r.status === 'fail' || r.status === 'error')
    .map((r) => `${r.key}: ${r.status === 'fail' ? `expected ${r.expected}; observed ${r.observed}` : r.reason}`);
}
