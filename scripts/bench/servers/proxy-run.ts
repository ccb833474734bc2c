// The validation proxy in its own process for the hardening benchmark: samples its RSS every 20 ms;
// answers 'memory' with the peak so far and the current RSS.
import { startProxy } from '../../../src/proxy/index.js';

let peak = process.memoryUsage().rss;
setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20).unref();
const proxy = await startProxy({ upstream: process.argv[2]! });
process.send?.({ url: proxy.url });
process.on('message', (m) => {
  if (m === 'memory') process.send?.({ peak, rss: process.memoryUsage().rss });
});
