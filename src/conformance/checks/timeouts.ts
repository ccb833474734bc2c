// Long generations (facts §6.14, §5.17-18; opt-in: `--only timeouts`): the highest quality takes
// minutes at real providers, and proxies in front of gateways cut such requests with a 504/408 or an
// unexpected EOF. The gateway must hold the connection until the image is done.
import { fail, pass, RETRY_NOTE } from '../assert.js';
import { describe } from '../exchange.js';
import type { CheckDef } from '../types.js';
import { generationCheck } from './generation-check.js';

export const timeoutChecks: CheckDef[] = [
  generationCheck('slow', {
    id: 'timeouts.slow-generation',
    title: 'A highest-quality generation is answered 200, not cut off by a 408/504 or a dropped connection',
    severity: 'MUST',
    rule: 'facts §6.14 (hold the connection >= 180 s; opt-in, costs a highest-quality image)',
    optIn: true,
    judge(ctx, gen) {
      const ex = gen.exchange;
      const seconds = (ex.durationMs / 1000).toFixed(1);
      const expected = `200 at quality ${String(gen.request.fields.quality)} however long it takes (within --timeout ${ctx.http.timeoutMs / 1000}s)`;
      if (ex.response?.status === 200 && !ex.error) return pass(`200 after ${seconds} s`, ex);
      if (!ex.response && ex.error?.kind === 'timeout')
        return fail(expected, `no answer within --timeout (${seconds} s)`, [ex], 'Raise --timeout: facts §6.14 suggests a client timeout of 10 minutes for the slowest generations.');
      const status = ex.response?.status;
      const note =
        status === 408 || status === 504
          ? `A proxy or the gateway gave up after ${seconds} s. ${RETRY_NOTE}`
          : !ex.response
            ? `The connection broke after ${seconds} s (proxy read timeout, facts §5.17-18).`
            : undefined;
      return fail(expected, `after ${seconds} s: ${describe(ex)}`, [ex], note);
    },
  }),
];
