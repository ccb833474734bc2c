// Baseline for the HTTP benchmark: a bare node:http server answering every request with a fixed
// body (the same bytes the mock sends), so ratios measure the mock's own work. With a second
// argument it busy-waits that many microseconds per request first: what a server with that much
// work of its own reaches on the same machine.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const body = readFileSync(process.argv[2]!);
// Optional: busy-wait this many microseconds per request (a server with that much work of its own).
const busyMs = Number(process.argv[3] ?? 0) / 1000;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (busyMs > 0) for (const end = performance.now() + busyMs; performance.now() < end; );
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.send?.({ url: `http://127.0.0.1:${address.port}/v1` });
});
process.on('message', (m) => {
  if (m === 'memory') process.send?.({ memory: process.memoryUsage() });
  if (m === 'cpu') process.send?.({ cpu: cpuMicros() });
});

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}
