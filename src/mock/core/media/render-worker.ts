// A render thread of RenderPool: PNG pictures from render requests, sent back as bytes.
import { parentPort } from 'node:worker_threads';
import { renderPng, type PictureRequest } from '../../../images/render.js';

export interface RenderJob {
  id: number;
  request: PictureRequest;
}

export type RenderReply = { id: number; png: Uint8Array } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('render-worker runs as a worker thread');
port.on('message', ({ id, request }: RenderJob) => {
  let png: Buffer;
  try {
    png = renderPng(request);
  } catch (e) {
    port.postMessage({ id, error: e instanceof Error ? e.message : String(e) } satisfies RenderReply);
    return;
  }
  // A buffer with its own memory moves to the main thread; one from Node's shared pool is copied.
  const own = png.byteOffset === 0 && png.byteLength === png.buffer.byteLength;
  port.postMessage({ id, png } satisfies RenderReply, own ? [png.buffer as ArrayBuffer] : []);
});
