// One logical request, sent as often as the retry policy says: each attempt paced, recorded as its
// own exchange (reports show every attempt), and the last one carrying the attempts and why retrying
// stopped (`Exchange.retry`), which the runner reads to mark a check flaky or rate-limited.
import type { Exchange, HttpRequest } from './http.js';
import { sleep, type RatePacer } from './rate-pacer.js';
import { attemptOutcome, rateLimitWaitMs, type RequestRetry, type RetryPolicy, type RetryRecord } from './retry-policy.js';

export async function sendWithRetries(
  req: HttpRequest,
  sendOnce: (req: HttpRequest) => Promise<Exchange>,
  policy: RetryPolicy,
  pacer: RatePacer | undefined,
): Promise<Exchange> {
  const attempts: Exchange[] = [];
  const record: RetryRecord = { attempts: [] };
  let attemptReq = req;
  for (;;) {
    // An aborted check still sends (and at once records) its request as aborted: never a lost exchange.
    const paced = pacer ? await pacer.acquire(req.signal) : true;
    const ex = await sendOnce(attemptReq);
    if (pacer && paced) pacer.release(ex.response?.headers);
    const decision = policy.decide(ex, attempts, req.retry ?? defaultRetry(req));
    attempts.push(ex);
    record.attempts.push({ seq: ex.seq, outcome: attemptOutcome(ex) });
    if (!decision.retry) {
      if (decision.gaveUp) record.gaveUp = decision.gaveUp;
      const asked = decision.gaveUp?.kind === 'rate-limit' && ex.response ? rateLimitWaitMs(ex.response.headers) : undefined;
      if (asked !== undefined && asked > policy.maxWaitMs) pacer?.refused(asked);
      if (attempts.length > 1 || decision.gaveUp) ex.retry = record;
      return ex;
    }
    const last = record.attempts[record.attempts.length - 1]!;
    last.waitedMs = decision.waitMs;
    last.kind = decision.kind;
    if (decision.kind === 'rate-limit') pacer?.rateLimited(ex.response!.headers, decision.waitMs);
    if (!(await sleep(decision.waitMs, req.signal))) {
      ex.retry = record;
      return ex;
    }
    const n = attempts.length;
    // The official SDKs number their retries so a gateway can tell them apart (the mock's `:once`).
    attemptReq = { ...req, label: `${req.label} (retry ${n} after ${decision.why})`, headers: { ...req.headers, 'x-stainless-retry-count': String(n) } };
  }
}

/**
 * Downloads never wait out 429s (a CDN's limit is not the gateway's); streamed oversize uploads are
 * refusal probes, never sent again (a reset can be the refusal).
 */
function defaultRetry(req: HttpRequest): RequestRetry {
  if (req.body?.kind === 'generated') return { rateLimit: true, transient: false };
  return req.download ? { rateLimit: false } : {};
}
