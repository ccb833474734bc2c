// Baseline for the HTTP benchmark: a bare node:http server answering every request with a fixed
// body (the same bytes the mock sends), so ratios measure the mock's own work.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const body = readFileSync(process.argv[2]!);
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
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
