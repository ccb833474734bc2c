// `stream: true`: a text/event-stream of `<prefix>.partial_image` events (partial_image_index
// 0..partial_images-1, each a coarser rendering of the final picture at the final size) and one
// `<prefix>.completed` event with usage, per image, spaced over the configured latency. The body
// is a ReadableStream; a client that disconnects cancels it, which stops the stream.
import { buildError } from '../../../contract/errors.js';
import type { ProgressRun } from './progress.js';
import type { RequestContext } from '../request-context.js';
import type { ImageJob } from '../rules/request-rules.js';
import { usageOf } from './response-extras.js';
import { eventBytes, eventStream } from './respond.js';
import type { MockState } from '../state.js';
import { wait } from './timing.js';

export type StreamPrefix = 'image_generation' | 'image_edit';

type Emit = (event: string, data: unknown) => boolean;

export function streamImages(state: MockState, ctx: RequestContext, job: ImageJob, prefix: StreamPrefix, delayMs: number, run: ProgressRun | undefined): Response {
  // Aborted when the consumer cancels the body or the request's client goes away.
  const stop = new AbortController();
  const onGone = () => stop.abort();
  let open = true;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const emit: Emit = (event, data) => {
        if (!open) return false;
        controller.enqueue(eventBytes(event, data));
        return true;
      };
      const close = () => {
        if (!open) return;
        open = false;
        ctx.signal.removeEventListener('abort', onGone);
        controller.close();
      };
      ctx.signal.addEventListener('abort', onGone, { once: true });
      void streamEvents(state, job, prefix, delayMs, run, stop.signal, emit)
        .catch(() => {
          // Headers are gone: a failure mid-stream is an `error` event (what SDKs throw), then the end.
          const { body: error } = buildError('server_error');
          emit('error', error);
          const e = (error as { error: { code: string | null; message: string } }).error;
          run?.fail({ code: e.code, message: e.message });
        })
        .finally(close);
    },
    cancel() {
      open = false;
      ctx.signal.removeEventListener('abort', onGone);
      stop.abort();
    },
  });
  return eventStream(ctx, body);
}

async function streamEvents(state: MockState, job: ImageJob, prefix: StreamPrefix, delayMs: number, run: ProgressRun | undefined, signal: AbortSignal, emit: Emit): Promise<void> {
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
  const gone = () => run?.fail({ code: null, message: 'The client closed the connection.' });
  for (let index = 0; index < job.n; index++) {
    const inputs = state.images.inputs(job, job.renderPrompt, index);
    for (let p = 0; p < job.partialImages; p++) {
      if (!(await wait(signal, spacing))) return gone();
      const b64 = await state.images.partialBase64(inputs, p, job.partialImages);
      if (!emit(`${prefix}.partial_image`, { type: `${prefix}.partial_image`, b64_json: b64, ...common(), partial_image_index: p })) return gone();
      step();
    }
    if (!(await wait(signal, spacing))) return gone();
    const b64 = await state.images.base64(inputs);
    if (!emit(`${prefix}.completed`, { type: `${prefix}.completed`, b64_json: b64, ...common(), usage: usageOf(job, 1, false) })) return gone();
    step();
  }
  run?.complete();
}
