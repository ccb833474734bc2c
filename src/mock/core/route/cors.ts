// CORS for browser clients (the SDK with dangerouslyAllowBrowser): every answer allows any origin
// and exposes the headers SDKs read; preflights are answered 204 without a key.

/** What the official SDK sends (facts §3.1) plus the mock's own control headers. */
const ALLOWED_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'Accept',
  'OpenAI-Organization',
  'OpenAI-Project',
  'OpenAI-Beta',
  'X-Stainless-Lang',
  'X-Stainless-Package-Version',
  'X-Stainless-OS',
  'X-Stainless-Arch',
  'X-Stainless-Runtime',
  'X-Stainless-Runtime-Version',
  'X-Stainless-Retry-Count',
  'X-Stainless-Timeout',
  'X-Stainless-Helper-Method',
  'X-Stainless-Poll-Helper',
  'X-Stainless-Custom-Poll-Interval',
  'Idempotency-Key',
  'X-Mock-Scenario',
  'X-Progress-Id',
  'Prefer',
].join(', ');

export const EXPOSED_HEADERS = [
  'x-request-id',
  'openai-processing-ms',
  'retry-after',
  'retry-after-ms',
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'x-ratelimit-limit-images',
  'x-ratelimit-remaining-images',
].join(', ');

/** Sent on every answer (flat name/value pairs, as writeHead takes them). */
export const CORS_HEADERS: readonly string[] = ['access-control-allow-origin', '*', 'access-control-expose-headers', EXPOSED_HEADERS];

// A header list as browsers send it in Access-Control-Request-Headers; anything else is not echoed.
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

/** Headers of a preflight answer: the requested headers are echoed (so new X-Stainless-* pass), or the known list. */
export function preflightHeaders(headers: Headers): string[] {
  const requested = headers.get('access-control-request-headers');
  const allow = requested !== null && requested.length <= 4096 && HEADER_LIST.test(requested.trim()) ? `${ALLOWED_REQUEST_HEADERS}, ${requested.trim()}` : ALLOWED_REQUEST_HEADERS;
  return [
    'access-control-allow-methods',
    'GET, POST, HEAD, OPTIONS',
    'access-control-allow-headers',
    allow,
    'access-control-max-age',
    '86400',
    'vary',
    'Access-Control-Request-Headers',
  ];
}
