// The note on a request a gateway should have refused says what that refusal was for: a wrong key
// is about credentials, not "dropping or clamping" a value.
import { expect, it } from 'vitest';
import { judgeClientError } from '../../src/conformance/assert.js';
import type { Exchange } from '../../src/conformance/http.js';
import { specValidator } from '../../src/contract/validator.js';

function accepted(): Exchange {
  const body = Buffer.from(JSON.stringify({ created: 1, data: [{ url: 'http://127.0.0.1:9/i.png' }] }));
  return { seq: 1, label: 'x', method: 'POST', url: 'http://127.0.0.1:9/v1/images/generations', finalUrl: 'http://127.0.0.1:9/v1/images/generations', requestHeaders: {}, sentBytes: 2, startedAt: 0, durationMs: 1, redirects: [], response: { status: 200, headers: { 'content-type': 'application/json' }, body, excerpt: body, bytes: body.length, truncated: false } };
}

it.each([
  [[401], /credentials/],
  [[404], /does not serve/],
  [[413, 400], /size limit/],
  [[415, 400], /content type/],
  [[400], /dropped, clamped or passed on unchecked/],
])('a 2xx where %j is expected gets a note about that', (statuses, note) => {
  const outcome = judgeClientError(accepted(), { validator: specValidator(), profile: { errorEnvelope: 'openai' } }, { statuses, what: 'w' });
  expect(outcome.status).toBe('fail');
  expect(outcome.status === 'fail' && outcome.note).toMatch(note);
  if (statuses[0] !== 400) expect(outcome.status === 'fail' && outcome.note).not.toMatch(/clamp/);
});
