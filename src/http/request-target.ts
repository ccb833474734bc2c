// The request target of an HTTP/1.1 request line (`req.url` in node:http), parsed once for every
// server of the project (the mock and the validation proxy). Never throws: a target a server cannot
// route safely (`//x`, backslashes, bad percent-escapes, control bytes, `http://%zz/`) is a clean
// "bad request target" the server answers 400, instead of an exception from `new URL`.
//
// Accepted (RFC 9112 §3.2): origin-form `/path?query` and absolute-form `http(s)://authority/path?query`.
// Refused: asterisk-form and authority-form (these servers serve neither OPTIONS * nor CONNECT), a
// path starting `//` (WHATWG URL parsers read it as a host; proxies disagree on it), and any byte
// outside RFC 3986's path/query characters.

export type RequestTarget =
  | {
      ok: true;
      /** The path as sent (not dot-normalised), never empty, always starting with a single `/`. */
      path: string;
      /** The query without `?` ('' when absent). */
      query: string;
      /** The same target as a URL (origin-form resolved against http://request-target.invalid). */
      url: URL;
    }
  | { ok: false; reason: string };

const MAX_TARGET_LENGTH = 64 * 1024;
/** RFC 3986 pchar without '%' (checked apart), plus '/' and, in the query, '?'. */
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
const QUERY_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
const ABSOLUTE = /^https?:\/\//i;
const ORIGIN_BASE = 'http://request-target.invalid';

const bad = (reason: string): RequestTarget => ({ ok: false, reason });

function splitPathQuery(pathAndQuery: string): { path: string; query: string } | string {
  const q = pathAndQuery.indexOf('?');
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  const query = q < 0 ? '' : pathAndQuery.slice(q + 1);
  if (!path.startsWith('/')) return 'the path must start with /';
  if (path.startsWith('//')) return 'the path starts with //';
  if (!PATH_CHARS.test(path)) return 'the path has characters outside RFC 3986 (backslash, space, control or non-ASCII bytes, #)';
  if (!QUERY_CHARS.test(query)) return 'the query has characters outside RFC 3986';
  if (BAD_ESCAPE.test(path) || BAD_ESCAPE.test(query)) return 'a % is not followed by two hex digits';
  return { path, query };
}

export function parseRequestTarget(raw: string | undefined): RequestTarget {
  if (raw === undefined || raw === '') return bad('empty request target');
  if (raw.length > MAX_TARGET_LENGTH) return bad(`request target longer than ${MAX_TARGET_LENGTH} characters`);
  if (raw === '*') return bad('asterisk-form request target is not served');
  let pathAndQuery = raw;
  let url: URL | undefined;
  if (ABSOLUTE.test(raw)) {
    try {
      url = new URL(raw);
    } catch {
      return bad('absolute-form request target is not a URL');
    }
    if (!url.hostname) return bad('absolute-form request target has no host');
    const rest = raw.slice(raw.indexOf('//') + 2);
    const slash = rest.search(/[/?]/);
    const authority = slash < 0 ? rest : rest.slice(0, slash);
    if (authority.includes('@')) return bad('absolute-form request target carries credentials');
    if (!/^[A-Za-z0-9\-._~!$&'()*+,;=:[\]%]+$/.test(authority) || BAD_ESCAPE.test(authority)) return bad('absolute-form request target has a malformed authority');
    pathAndQuery = slash < 0 ? '/' : rest[slash] === '?' ? `/${rest.slice(slash)}` : rest.slice(slash);
  } else if (!raw.startsWith('/')) {
    return bad('request target is neither origin-form (/path) nor absolute-form (http://host/path)');
  }
  const parts = splitPathQuery(pathAndQuery);
  if (typeof parts === 'string') return bad(parts);
  const { path, query } = parts;
  const absolute = url;
  // Built on first use only: the servers route on `path`, and hot paths need no URL object.
  let lazy: URL | undefined;
  return {
    ok: true,
    path,
    query,
    get url() {
      lazy ??= absolute ?? new URL(`${ORIGIN_BASE}${path}${query ? `?${query}` : ''}`);
      return lazy;
    },
  };
}
