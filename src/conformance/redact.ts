// Keeps secrets (the API key, secret-looking custom header values) out of every output: console,
// JSON, JUnit, HTML, curl commands and the proxy's lines. Reporters write only what went through
// `redact`/`redactDeep`, and every text is redacted whole before anything cuts it.
//
// A secret is replaced in every form a gateway may echo it in: as-is, URL-encoded (either hex case),
// JSON-escaped, and base64/base64url - including base64 of a longer text that contains it, such as
// `Bearer KEY` or Basic auth's `user:KEY` (see `base64Cores`). Beyond whole forms, any run of
// MIN_FRAGMENT or more characters of a form is replaced too, so a cut that keeps 18 of 27
// characters (an excerpt, a 160-character line) leaks nothing longer than MIN_FRAGMENT - 1.
//
// Why 8: a shorter window would redact ordinary text by accident (a 6-character window of a key's
// base64 turns up in image data and prose), and 7 characters of a 27+ character random key leave at
// least 20 unknown - 119 bits of a base62 key. Eight random base62/base64 characters (~47 bits)
// occur by chance in a report about once in 10^12 positions per window, so false redactions stay rare.
// Windows that are nothing but lowercase letters and - _ . (`sk-proj-`, `deadline`) are left to the
// whole-form match: they are words, not key material, and would redact the report's own vocabulary.

export const REDACTED = '[REDACTED]';
/** Shortest secret replaced inside free text; shorter ones would garble every report. */
const MIN_SECRET_LENGTH = 4;
/** Shortest run of a secret's characters (in any of its forms) that is replaced on its own. */
export const MIN_FRAGMENT = 8;
/** Header names whose values are credentials: a word of the name (split at - and _) says so. */
const SECRET_WORD = /^(key|apikey|token|secret|auth|authorization|cookie|signature|password|credential|credentials|session)$/i;
const WORD_LIKE = /^[a-z._-]+$/;
const isSecretName = (name: string) => name.split(/[-_]/).some((w) => SECRET_WORD.test(w));

/**
 * The base64 text that any base64 encoding of `...prefix + secret + suffix...` contains, for each
 * of the three alignments of the secret against base64's 3-byte groups (the groups that lie wholly
 * inside the secret), in base64 and base64url.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out: string[] = [];
  for (let skip = 0; skip < 3; skip++) {
    const usable = Math.floor((bytes.length - skip) / 3) * 3;
    if (usable <= 0) continue;
    const core = bytes.subarray(skip, skip + usable);
    out.push(core.toString('base64'), core.toString('base64url'));
  }
  // The secret alone, padded, as a gateway echoing `base64(KEY)` would print it.
  out.push(bytes.toString('base64'));
  return out;
}

function formsOf(secret: string): string[] {
  const url = encodeURIComponent(secret);
  const json = JSON.stringify(secret).slice(1, -1);
  // JSON may also escape '/' (PHP's json_encode does) and any character as \uXXXX.
  const slashed = json.replace(/\//g, '\\/');
  return [secret, url, url.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()), json, slashed, ...base64Cores(secret)];
}

export class Redactor {
  private readonly secrets: string[] = [];
  /** Every MIN_FRAGMENT-long window of every form of every secret that long. */
  private readonly windows = new Set<string>();
  /** Rolling hashes of `windows`, so scanning a text costs O(1) per position (reports carry MBs of base64). */
  private readonly windowHashes = new Set<number>();
  /** A one-byte-per-slot filter in front of `windowHashes` (most positions end at one array read). */
  private readonly filter = new Uint8Array(1 << 16);

  constructor(secrets: Array<string | undefined> = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return;
    for (const form of new Set(formsOf(secret))) {
      if (form.length < MIN_SECRET_LENGTH) continue;
      if (!this.secrets.includes(form)) this.secrets.push(form);
      for (let i = 0; i + MIN_FRAGMENT <= form.length; i++) {
        const window = form.slice(i, i + MIN_FRAGMENT);
        if (!WORD_LIKE.test(window) && !this.windows.has(window)) {
          this.windows.add(window);
          const h = hashWindow(window, 0);
          this.windowHashes.add(h);
          this.filter[h & 0xffff] = 1;
        }
      }
    }
    // Longest first, so a secret containing another is replaced whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  /** Adds the values of custom headers whose names look secret (x-portkey-api-key, cookie, ...). */
  addSecretHeaders(headers: Record<string, string>): void {
    for (const [name, value] of Object.entries(headers)) if (isSecretName(name)) this.add(value);
  }

  get empty(): boolean {
    return this.secrets.length === 0;
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return this.windows.size ? this.redactFragments(out) : out;
  }

  /** Replaces every stretch of text covered by windows of a secret (one linear pass). */
  private redactFragments(text: string): string {
    if (text.length < MIN_FRAGMENT) return text;
    let out = '';
    let copied = 0;
    let coverStart = -1;
    let coverEnd = -1;
    const last = text.length - MIN_FRAGMENT;
    let hash = hashWindow(text, 0);
    for (let i = 0; i <= last; i++) {
      if (i > 0) hash = roll(hash, text.charCodeAt(i - 1), text.charCodeAt(i + MIN_FRAGMENT - 1));
      if (this.filter[hash & 0xffff] === 0 || !this.windowHashes.has(hash) || !this.windows.has(text.slice(i, i + MIN_FRAGMENT))) continue;
      if (i > coverEnd) {
        if (coverStart >= 0) {
          out += text.slice(copied, coverStart) + REDACTED;
          copied = coverEnd;
        }
        coverStart = i;
      }
      coverEnd = i + MIN_FRAGMENT;
    }
    if (coverStart < 0) return text;
    return out + text.slice(copied, coverStart) + REDACTED + text.slice(coverEnd);
  }

  /** A copy of any JSON-like value with every string redacted. */
  redactDeep<T>(value: T): T {
    return walk(value, (s) => this.redact(s)) as T;
  }
}

// Polynomial rolling hash of MIN_FRAGMENT UTF-16 units, mod 2^32.
const BASE = 0x01000193;
let BASE_POW = 1;
for (let i = 1; i < MIN_FRAGMENT; i++) BASE_POW = Math.imul(BASE_POW, BASE);

function hashWindow(text: string, at: number): number {
  let h = 0;
  for (let i = 0; i < MIN_FRAGMENT; i++) h = (Math.imul(h, BASE) + text.charCodeAt(at + i)) | 0;
  return h >>> 0;
}

function roll(hash: number, out: number, incoming: number): number {
  return ((Math.imul((hash - Math.imul(out, BASE_POW)) | 0, BASE) + incoming) | 0) >>> 0;
}

function walk(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, fn));
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[fn(k)] = walk(v, fn);
    return out;
  }
  return value;
}

export function isSecretHeaderName(name: string): boolean {
  return isSecretName(name);
}
