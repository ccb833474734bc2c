// Strict decoding of `b64_json` payloads. Node's Buffer.from(s, 'base64') is
// lenient (skips junk, accepts base64url, missing padding), so it cannot tell a
// conforming gateway from a sloppy one; these checks can, and say why.

export type Base64Result = { ok: true; bytes: Buffer } | { ok: false; reason: string };

const WHITESPACE = /\s/;
const URL_SAFE = /[-_]/;
const OUTSIDE_ALPHABET = /[^A-Za-z0-9+/=]/;

export function decodePlainBase64(s: string): Base64Result {
  if (typeof s !== 'string') return { ok: false, reason: 'not base64: not a string' };
  if (s.length === 0) return { ok: false, reason: 'empty' };
  if (/^data:/i.test(s)) return { ok: false, reason: 'has a data: URL prefix (expected plain base64)' };
  // Canonical round trip: Buffer's native codec re-encodes to exactly the input
  // iff the input is RFC 4648 §4 base64 with correct padding and zero pad bits.
  // Two native passes beat any JS scan (≈9 ms for 8 MB vs ≈40 ms for a regex).
  const bytes = Buffer.from(s, 'base64');
  if (bytes.toString('base64') === s) return { ok: true, bytes };
  return { ok: false, reason: diagnose(s) };
}

/** Why a string failed the round trip (slow path, failures only). */
function diagnose(s: string): string {
  if (WHITESPACE.test(s)) return 'contains whitespace/newlines';
  if (URL_SAFE.test(s)) return 'not base64: uses the URL-safe alphabet (- or _)';
  const at = s.search(OUTSIDE_ALPHABET);
  if (at >= 0) return `not base64: invalid character at offset ${at}`;
  const firstPad = s.indexOf('=');
  if (firstPad >= 0 && (firstPad < s.length - 2 || /=[^=]/.test(s.slice(firstPad)))) {
    return 'not base64: "=" padding in the middle';
  }
  if (s.length % 4 !== 0) return `not base64: length ${s.length} is not a multiple of 4 (missing or excess padding)`;
  return 'not base64: non-canonical encoding (non-zero padding bits)';
}
