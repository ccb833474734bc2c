// The path and query of a request as the client sent them. A Web Request only has its URL
// (already parsed and normalised); an adapter that reads the raw request-target hands over its
// parse under TARGET (node/: src/http/request-target.ts), so routing and error messages see exactly
// what was sent, and a target no URL parser agrees on (`//x`, `/\`, `http://%zz/`) is refused.

export const TARGET = Symbol.for('imagegen-contract.request-target');

export type Target = { ok: true; path: string; query: string } | { ok: false; raw: string };

export function requestTarget(request: Request): Target {
  const parsed = (request as { [TARGET]?: Target })[TARGET];
  if (parsed !== undefined) return parsed;
  let url = request.url;
  const hash = url.indexOf('#');
  if (hash >= 0) url = url.slice(0, hash);
  const scheme = url.indexOf('://');
  const start = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
  if (start < 0) return { ok: true, path: '/', query: '' };
  const q = url.indexOf('?', start);
  return q < 0 ? { ok: true, path: url.slice(start), query: '' } : { ok: true, path: url.slice(start, q), query: url.slice(q + 1) };
}
