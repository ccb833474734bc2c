// docs/checks.md is generated from the registry; a change to a check without `npm run docs:checks` fails.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { renderChecksDoc } from '../../src/conformance/checks-doc.js';
import { CHECKS } from '../../src/conformance/index.js';

it('docs/checks.md is up to date (npm run docs:checks)', () => {
  const current = readFileSync(new URL('../../docs/checks.md', import.meta.url), 'utf8');
  expect(current === renderChecksDoc(), 'docs/checks.md is stale: run npm run docs:checks').toBe(true);
});

it('every check has a kebab area.name id, a one-line title and a rule', () => {
  for (const c of CHECKS) {
    expect(c.id).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+$/);
    expect(c.title.includes('\n')).toBe(false);
    expect(c.rule.length).toBeGreaterThan(3);
    expect(['MUST', 'SHOULD']).toContain(c.severity);
  }
});
