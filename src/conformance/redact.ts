// Keeps secrets (the API key, secret-looking custom header values) out of every output: console,
// JSON, JUnit, HTML and curl commands. Reporters write only what went through `redact`/`redactDeep`.

export const REDACTED = '[REDACTED]';
/** Shortest secret replaced inside free text; shorter ones would garble every report. */
const MIN_SECRET_LENGTH = 4;
/** Header names whose values are credentials: a word of the name (split at - and _) says so. */
const SECRET_WORD = /^(key|apikey|token|secret|auth|authorization|cookie|signature|password|credential|credentials|session)$/i;
const isSecretName = (name: string) => name.split(/[-_]/).some((w) => SECRET_WORD.test(w));

export class Redactor {
  private readonly secrets: string[] = [];

  constructor(secrets: Array<string | undefined> = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return;
    for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
      if (!this.secrets.includes(form)) this.secrets.push(form);
    }
    // Longest first, so a secret containing another is replaced whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  /** Adds the values of custom headers whose names look secret (x-portkey-api-key, cookie, ...). */
  addSecretHeaders(headers: Record<string, string>): void {
    for (const [name, value] of Object.entries(headers)) if (isSecretName(name)) this.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }

  /** A copy of any JSON-like value with every string redacted. */
  redactDeep<T>(value: T): T {
    return walk(value, (s) => this.redact(s)) as T;
  }
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
