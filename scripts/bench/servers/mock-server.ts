// The mock under benchmark, in its own process so the load generator does not share its event loop.
import { startMock } from '../../../src/mock/index.js';

const mock = await startMock({ port: 0, host: '127.0.0.1', seed: 'bench' });
process.send?.({ url: mock.url });
process.on('message', (m) => {
  if (m === 'memory') {
    global.gc?.();
    process.send?.({ memory: process.memoryUsage() });
  }
  // The whole process: the main thread and the render threads.
  if (m === 'cpu') {
    const u = process.cpuUsage();
    process.send?.({ cpu: u.user + u.system });
  }
});
