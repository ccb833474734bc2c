import { defineConfig } from 'vitest/config';

// `npm run conformance`: the conformance checks against the gateway at IMAGEGEN_BASE_URL, one vitest
// test per check result (see test/conformance/live/gateway.conformance.ts for the environment).
export default defineConfig({
  test: {
    include: ['test/conformance/live/**/*.conformance.ts'],
    // The whole run happens while the file is collected; image generation at a real gateway is slow.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    fileParallelism: false,
  },
});
