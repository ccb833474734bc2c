// Responses of the selected statuses (and methods) declare the given headers. Header names are
// compared case-insensitively, as HTTP does (the spec writes them in lower case, as Node and the
// SDKs see them). Used by imagegen-429-retry-after and imagegen-rate-limit-headers.
import { responses } from './lib/openapi.js';

export default function responseHeaders(doc, options) {
  const statuses = new RegExp(options.statuses);
  const methods = options.methods ?? null;
  const results = [];
  for (const { route, method, status, response, path } of responses(doc)) {
    if (!statuses.test(status) || (methods && !methods.includes(method))) continue;
    const declared = Object.keys(response.headers ?? {}).map((h) => h.toLowerCase());
    const missing = options.headers.filter((h) => !declared.includes(h.toLowerCase()));
    if (missing.length)
      results.push({ message: `${method.toUpperCase()} ${route} ${status} does not declare ${missing.join(', ')}.`, path });
  }
  return results;
}
