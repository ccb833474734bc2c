// Bearer-key check. Without configured keys any non-empty key is accepted (like a sandbox);
// with keys, others get invalid_api_key with the key masked as OpenAI masks it (sk-abc***xyz).

export type AuthResult = { ok: true; key: string } | { ok: false; kind: 'missing_api_key' } | { ok: false; kind: 'invalid_api_key'; masked: string };

export function maskKey(key: string): string {
  const visible = key.replace(/[^\x21-\x7e]/g, '?');
  if (visible.length <= 10) return `${visible.slice(0, Math.min(3, Math.floor(visible.length / 2)))}***`;
  return `${visible.slice(0, 6)}***${visible.slice(-3)}`;
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}

export class Authenticator {
  constructor(private readonly keys: ReadonlySet<string>) {}

  /** Whether a key may be used (also the Socket.IO handshake check). */
  accepts(key: string | undefined): key is string {
    if (key === undefined || key.length === 0) return false;
    return this.keys.size === 0 || this.keys.has(key);
  }

  check(headers: Headers): AuthResult {
    const key = bearerToken(headers.get('authorization') ?? undefined);
    if (key === undefined) return { ok: false, kind: 'missing_api_key' };
    if (!this.accepts(key)) return { ok: false, kind: 'invalid_api_key', masked: maskKey(key) };
    return { ok: true, key };
  }
}
