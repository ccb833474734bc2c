// Reading recorded exchanges: headers, media type, JSON body, and one-line descriptions for
// "observed" texts. Never throws on garbage.
import type { Exchange } from './http.js';

export function header(ex: Exchange, name: string): string | undefined {
  return ex.response?.headers[name.toLowerCase()];
}

/** `application/json` from `Application/JSON; charset=utf-8`; '' when absent. */
export function mediaType(ex: Exchange): string {
  return (header(ex, 'content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/** How the official SDK decides to parse JSON (facts §3.2). */
export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

export function bodyText(ex: Exchange): string {
  return ex.response ? ex.response.body.toString('utf8') : '';
}

export function parseJson(ex: Exchange): { ok: true; value: unknown } | { ok: false; error: string } {
  if (ex.parsed) return ex.parsed;
  if (!ex.response) return { ok: false, error: 'no response' };
  const text = bodyText(ex);
  try {
    ex.parsed = { ok: true, value: JSON.parse(text) };
  } catch (error) {
    ex.parsed = { ok: false, error: `not JSON (${(error as Error).message.split('\n')[0]})${text ? `: ${excerpt(text, 120)}` : ': empty body'}` };
  }
  return ex.parsed;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/[A-Za-z0-9+/=]{120,}/g, (r) => `${r.slice(0, 24)}…[${r.length} chars]`).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** One line describing what came back: status, content type, body excerpt, or the transport error. */
export function describe(ex: Exchange): string {
  if (!ex.response) return `no HTTP answer: ${ex.error?.message ?? 'unknown error'}`;
  const r = ex.response;
  const type = header(ex, 'content-type') ?? 'no content-type';
  const redirect = ex.redirects.find((x) => !x.followed);
  const parts = [`${r.status} (${type})`];
  if (redirect) parts.push(`redirect to ${redirect.location} not followed`);
  if (ex.error) parts.push(ex.error.message);
  const text = type.startsWith('image/') ? `<${r.bytes} bytes>` : excerpt(bodyText(ex));
  if (text) parts.push(text);
  return parts.join(': ');
}

export function statusOf(ex: Exchange): number | undefined {
  return ex.response?.status;
}
