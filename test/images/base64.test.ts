import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { decodePlainBase64 } from '../../src/images/base64.js';

const reason = (s: string) => {
  const r = decodePlainBase64(s);
  if (r.ok) throw new Error(`expected failure for ${JSON.stringify(s.slice(0, 40))}`);
  return r.reason;
};

describe('decodePlainBase64', () => {
  it('decodes canonical base64 of every padding length', () => {
    for (let n = 1; n <= 40; n++) {
      const bytes = randomBytes(n);
      const r = decodePlainBase64(bytes.toString('base64'));
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.bytes.equals(bytes)).toBe(true);
    }
  });

  it('decodes multi-MB payloads quickly', () => {
    const bytes = randomBytes(6_000_000);
    const s = bytes.toString('base64');
    const t = performance.now();
    const r = decodePlainBase64(s);
    const ms = performance.now() - t;
    expect(r.ok && r.bytes.equals(bytes)).toBe(true);
    expect(ms).toBeLessThan(500); // generous: catches accidental per-char JS slow paths only
  });

  it('names the specific problem', () => {
    expect(reason('')).toBe('empty');
    expect(reason('data:image/png;base64,iVBORw0KGgo=')).toMatch(/has a data: URL prefix/);
    expect(reason('DATA:image/png;base64,AAAA')).toMatch(/has a data: URL prefix/);
    const wrapped = randomBytes(200).toString('base64').replace(/(.{76})/g, '$1\n');
    expect(reason(wrapped)).toMatch(/contains whitespace\/newlines/);
    expect(reason('AAAA AAAA')).toMatch(/whitespace/);
    expect(reason('AAAA\r\n')).toMatch(/whitespace/);
    expect(reason('ab-_')).toMatch(/not base64.*URL-safe/);
    expect(reason('AA*A')).toMatch(/not base64.*offset 2/);
    expect(reason('héllo==')).toMatch(/not base64/);
    expect(reason('QQ')).toMatch(/not base64.*multiple of 4/); // missing padding
    expect(reason('QQ===')).toMatch(/not base64/);
    expect(reason('QQ==QQ==')).toMatch(/not base64.*middle/);
    expect(reason('QR==')).toMatch(/not base64.*padding bits/);
    expect(reason('QUJ=')).toMatch(/not base64.*padding bits/);
    expect(reason('====')).toMatch(/not base64/);
    expect(reason('{"b64_json":null}')).toMatch(/not base64/);
  });
});
