// Writing a long answer chunk by chunk without outrunning a slow client (the mock's streamed
// answers, the proxy's pass-through).
import type { ServerResponse } from 'node:http';

/** Writes `chunk`, waiting for 'drain' when the socket buffer is full; false once the response is gone. */
export async function writeWithBackpressure(res: ServerResponse, chunk: Uint8Array): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(chunk)) return true;
  // Both listeners go once either fires: a long stream waits thousands of times.
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
  return !res.destroyed;
}
