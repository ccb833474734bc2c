// Waiting out the configured latency without outliving the client: a wait ends early (false)
// when the request's connection closes.
import type { RequestContext } from '../request-context.js';

export function wait(ctx: RequestContext, ms: number): Promise<boolean> {
  if (ctx.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      ctx.res.off('close', onClose);
      resolve(!ctx.aborted);
    }, ms);
    ctx.res.once('close', onClose);
  });
}
