// One conformance run in its own process for the hardening benchmark: samples its RSS every 20 ms
// and reports the peak (and the run's duration and exchange count) over IPC.
import { runConformance } from '../../../src/conformance/index.js';

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const started = Date.now();
const report = await runConformance({ baseUrl: process.argv[2]!, apiKey: 'sk-bench-hostile', models: ['dall-e-2', 'gpt-image-1', 'dall-e-3'], maxImages: 12, timeoutMs: 30_000, deadlineMs: 180_000 });
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
process.send?.({ peak, ms: Date.now() - started, exchanges: report.exchanges.length, tooLarge: report.exchanges.filter((e) => e.error?.kind === 'too-large').length });
process.disconnect?.();
