// docs/broken-gateways.md is generated from the defect table; a change to defects.ts without
// `npm run docs:broken-gateways` fails.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { renderBrokenGatewaysDoc } from './doc.js';

it('docs/broken-gateways.md is up to date (npm run docs:broken-gateways)', () => {
  const current = readFileSync(new URL('../../docs/broken-gateways.md', import.meta.url), 'utf8');
  expect(current === renderBrokenGatewaysDoc(), 'docs/broken-gateways.md is stale: run npm run docs:broken-gateways').toBe(true);
});
