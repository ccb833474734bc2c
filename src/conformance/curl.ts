// Copy-paste reproductions of an exchange for bash: the key as "$IMAGEGEN_API_KEY", every other
// value single-quoted, multipart as -F, large bodies summarised (the 70 MiB body is regenerated).
import type { Exchange } from './http.js';
import type { Redactor } from './redact.js';

const MAX_INLINE_BODY = 1_000;
const LONG_STRING = 200;
const SKIP_HEADERS = new Set(['user-agent', 'accept', 'content-length', 'host', 'connection']);

/** Single-quotes for bash: safe for any text (NUL bytes, which cannot be in arguments, are dropped). */
export function shellQuote(value: string): string {
  return `'${value.replace(/\0/g, '').replace(/'/g, `'\\''`)}'`;
}

export function buildCurl(ex: Exchange, redactor: Redactor): string {
  const lines: string[] = [`curl -sS -i -X ${ex.method} ${shellQuote(ex.url)}`];
  const notes: string[] = [];
  const body = ex.body;
  for (const [name, value] of Object.entries(ex.requestHeaders)) {
    if (SKIP_HEADERS.has(name)) continue;
    // multipart boundaries are curl's own business with -F
    if (name === 'content-type' && body?.kind === 'multipart') continue;
    const secret = redactor.redact(value) !== value;
    if (name === 'authorization' && secret) lines.push(`-H "Authorization: Bearer $IMAGEGEN_API_KEY"`);
    else lines.push(`-H ${shellQuote(`${name}: ${secret ? redactor.redact(value) : value}`)}`);
  }
  if (body?.kind === 'json' || body?.kind === 'text') {
    const text = body.kind === 'json' ? JSON.stringify(body.value) : body.text;
    const generator = text.length > MAX_INLINE_BODY ? nodeGenerator(text) : undefined;
    if (text.length <= MAX_INLINE_BODY) lines.push(`--data-raw ${shellQuote(text)}`);
    else if (generator) {
      lines.push(`--data-binary @<(node -e ${shellQuote(generator)})`);
      notes.push(`# body: ${Buffer.byteLength(text)} bytes, rebuilt by node (its long strings are repetitions)`);
    } else {
      lines.push(`--data-raw ${shellQuote(summariseJson(text))}`);
      notes.push(`# body summarised: the real body is ${Buffer.byteLength(text)} bytes; long strings are shortened to "…[N chars]"`);
    }
    if (body.kind === 'text' && body.contentType === null) notes.push('# the original request had no Content-Type header');
  } else if (body?.kind === 'multipart') {
    for (const part of body.parts) {
      if ('filename' in part) {
        lines.push(`-F ${shellQuote(`${part.name}=@${part.filename};type=${part.contentType}`)}`);
        notes.push(`# ${part.filename}: ${part.describe ?? `${part.data.length} bytes ${part.contentType}`} (any such file reproduces it)`);
      } else {
        lines.push(`-F ${shellQuote(`${part.name}=${part.value}`)}`);
      }
    }
  } else if (body?.kind === 'generated') {
    const fillBytes = Math.max(0, body.bytes - Buffer.byteLength(body.prefix) - Buffer.byteLength(body.suffix));
    const fill = body.fill.length === 1 && body.fill !== "'" ? body.fill : 'a';
    lines.push(
      `--data-binary @<(printf '%s' ${shellQuote(body.prefix)}; head -c ${fillBytes} /dev/zero | tr '\\0' ${shellQuote(fill)}; printf '%s' ${shellQuote(body.suffix)})`,
    );
    notes.push(`# body: ${body.bytes} bytes generated on the fly (bash process substitution)`);
  }
  return redactor.redact([...notes, lines.join(' \\\n  ')].join('\n'));
}

/** Repetitive long strings (CJK prompts at the limit) as `"unit".repeat(n)`; undefined otherwise. */
function periodic(s: string): string | undefined {
  for (let p = 1; p <= 64 && p * 2 <= s.length; p++) {
    let ok = true;
    for (let i = p; i < s.length && ok; i++) ok = s[i] === s[i - p];
    if (!ok) continue;
    const reps = Math.ceil(s.length / p);
    return `${JSON.stringify(s.slice(0, p))}.repeat(${reps})${reps * p === s.length ? '' : `.slice(0, ${s.length})`}`;
  }
  return undefined;
}

/** A node one-liner that prints the JSON body exactly, when its long strings are repetitions. */
function nodeGenerator(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const exprs: string[] = [];
  let ok = true;
  const marked = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v !== 'string' || v.length <= LONG_STRING) return v;
    const expr = periodic(v);
    if (!expr) ok = false;
    exprs.push(expr ?? '');
    return `\u0000${exprs.length - 1}\u0000`;
  });
  if (!ok || exprs.length === 0) return undefined;
  const source = marked.replace(/"\\u0000(\d+)\\u0000"/g, (_m, i: string) => exprs[Number(i)]!);
  return `process.stdout.write(JSON.stringify(${source}))`;
}

/** Shortens long string values of a JSON text (or the text itself when it is not JSON). */
function summariseJson(text: string): string {
  try {
    const value = JSON.parse(text) as unknown;
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' && v.length > LONG_STRING ? `${v.slice(0, 40)}…[${v.length} chars]` : v));
  } catch {
    return `${text.slice(0, MAX_INLINE_BODY)}…[${text.length - MAX_INLINE_BODY} more chars]`;
  }
}
