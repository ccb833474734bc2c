// The path and query of a request as the client sent them. A Web Request only has its URL
// (normalised by the URL parser); an adapter that knows the raw request-target hands it over
// under TARGET, so error messages and routing see exactly what was sent.

export const TARGET = Symbol.for('imagegen-contract.request-target');

export interface Target {
  path: string;
  query: string;
}

export function requestTarget(request: Request): Target {
  const raw = (request as { [TARGET]?: string })[TARGET];
  if (raw !== undefined) return split(raw);
  let url = request.url;
  const hash = url.indexOf('#');
  if (hash >= 0) url = url.slice(0, hash);
  const scheme = url.indexOf('://');
  const start = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
  return start < 0 ? { path: '/', query: '' } : split(url.slice(start));
}

function split(target: string): Target {
  const q = target.indexOf('?');
  return q < 0 ? { path: target, query: '' } : { path: target.slice(0, q), query: target.slice(q + 1) };
}
