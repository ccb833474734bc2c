// Counted scenarios (`:once`, `:N`): the first N matching requests get the failure, the next one
// succeeds and starts the count over, so every logical call of a client (its first attempt and
// its retries) sees "N failures, then success", whatever headers it sends. A request matches by
// scenario, method, path, query and body (JSON text, or multipart fields and file bytes); the
// x-mock-scenario header itself is not part of it. The table is an LRU bounded by entry count
// (keys are digests), so clients that never retry cannot grow it.
import { createHash } from 'node:crypto';
import { Memo } from '../memo.js';
import type { RequestContext } from '../request-context.js';
import type { Scenario } from './scenarios.js';

/** Requests with a pending count kept at once (about 100 bytes each). */
export const MAX_COUNTED_REQUESTS = 10_000;

/** A digest of what makes two requests "the same call": method, target and body. */
export function requestFingerprint(ctx: RequestContext): string {
  const hash = createHash('sha256');
  hash.update(`${ctx.method} ${ctx.path}?${ctx.query}\n`);
  const body = ctx.body;
  if (body?.media === 'application/json') hash.update(body.text);
  else if (body) {
    hash.update(JSON.stringify(body.body));
    for (const file of [...body.uploads.images, ...(body.uploads.mask ? [body.uploads.mask] : [])]) {
      hash.update(`\n${file.field} ${file.bytes.length}\n`);
      hash.update(file.bytes);
    }
  }
  return hash.digest('base64url');
}

export class ScenarioCounts {
  private readonly failed: Memo<string, number>;

  constructor(max = MAX_COUNTED_REQUESTS) {
    this.failed = new Memo(max);
  }

  /** Whether this request gets the scenario's failure (always, for an uncounted scenario); counts it. */
  fails(scenario: Scenario, ctx: RequestContext): boolean {
    if (scenario.count === undefined) return true;
    const key = `${scenario.label}\n${requestFingerprint(ctx)}`;
    const done = this.failed.get(key) ?? 0;
    if (done < scenario.count) {
      this.failed.set(key, done + 1);
      return true;
    }
    this.failed.delete(key); // this one succeeds; the same call made again fails afresh
    return false;
  }

  get size(): number {
    return this.failed.size;
  }
}
