// `stream: true`: a text/event-stream of `<prefix>.partial_image` events (partial_image_index
// 0..partial_images-1, each a coarser rendering of the final picture at the final size) and one
// `<prefix>.completed` event with usage, per image, spaced over the configured latency. A client
// that disconnects stops the stream.
import { buildError } from '../../../contract/errors.js';
import type { ProgressRun } from '../../node/progress.js';
import type { RequestContext } from '../request-context.js';
import type { ImageJob } from '../rules/request-rules.js';
import { usageOf } from './response-extras.js';
import { startEventStream, writeEvent } from './respond.js';
import type { MockState } from '../state.js';
import { wait } from './timing.js';

export type StreamPrefix = 'image_generation' | 'image_edit';

export async function streamImages(state: MockState, ctx: RequestContext, job: ImageJob, prefix: StreamPrefix, delayMs: number, run: ProgressRun | undefined): Promise<void> {
  if (!startEventStream(ctx)) return;
  try {
    await streamEvents(state, ctx, job, prefix, delayMs, run);
  } catch {
    // Headers are gone: a failure mid-stream is an `error` event (what SDKs throw), then the end.
    const { body } = buildError('server_error');
    writeEvent(ctx, 'error', body);
    run?.fail({ code: (body as { error: { code: string | null } }).error.code, message: (body as { error: { message: string } }).error.message });
    ctx.res.end();
  }
}

async function streamEvents(state: MockState, ctx: RequestContext, job: ImageJob, prefix: StreamPrefix, delayMs: number, run: ProgressRun | undefined): Promise<void> {
  const events = job.n * (job.partialImages + 1);
  const spacing = delayMs / events;
  let sent = 0;
  const common = () => ({
    created_at: Math.floor(state.options.now() / 1000),
    size: job.size,
    quality: job.quality ?? 'auto',
    background: job.background ?? 'auto',
    output_format: job.format,
  });
  const step = () => run?.step(Math.floor((100 * ++sent) / (events + 1)));
  for (let index = 0; index < job.n; index++) {
    const inputs = state.images.inputs(job, job.renderPrompt, index);
    for (let p = 0; p < job.partialImages; p++) {
      if (!(await wait(ctx, spacing))) return run?.fail({ code: null, message: 'The client closed the connection.' });
      const b64 = await state.images.partialBase64(inputs, p, job.partialImages);
      if (!writeEvent(ctx, `${prefix}.partial_image`, { type: `${prefix}.partial_image`, b64_json: b64, ...common(), partial_image_index: p })) return;
      step();
    }
    if (!(await wait(ctx, spacing))) return run?.fail({ code: null, message: 'The client closed the connection.' });
    const b64 = await state.images.base64(inputs);
    if (!writeEvent(ctx, `${prefix}.completed`, { type: `${prefix}.completed`, b64_json: b64, ...common(), usage: usageOf(job, 1, false) })) return;
    step();
  }
  run?.complete();
  ctx.res.end();
}
