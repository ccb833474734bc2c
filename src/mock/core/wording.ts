// Filling message templates safely: values from requests are shortened to one line (messages and
// params have length limits in the spec), lists read as OpenAI writes them.

/** `'a' or 'b'`, `'a', 'b' or 'c'`. */
export function orList(values: readonly (string | number)[]): string {
  const q = values.map((v) => `'${v}'`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

/** A request value shown inside a message: one line, at most `max` characters. */
export function show(value: unknown, max = 64): string {
  // Objects and arrays are not serialised: request values may nest deeper than the stack.
  let text = typeof value === 'string' ? value : Array.isArray(value) ? '[...]' : value !== null && typeof value === 'object' ? '{...}' : String(value);
  text = text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

/** A parameter name for `error.param` (1-128 characters). */
export function paramName(name: string): string {
  if (name.length === 0) return "''";
  const line = name.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return line.length > 128 ? `${line.slice(0, 125)}...` : line;
}

/** `images/0/image_url` (a JSON pointer's segments) as `images[0].image_url`. */
export function paramPath(pointer: string): string {
  const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = '';
  for (const s of segments) out += /^(0|[1-9][0-9]*)$/.test(s) && out ? `[${s}]` : out ? `.${s}` : s;
  return paramName(out);
}

const ARTICLE: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** "an integer", "a string or an array" for a schema `type` (null left out when others remain). */
export function expectedTypes(type: unknown): string {
  const list = (Array.isArray(type) ? type : String(type).split(',')).map(String);
  const shown = list.length > 1 ? list.filter((t) => t !== 'null') : list;
  return shown.map((t) => ARTICLE[t] ?? t).join(' or ');
}

/** What a JSON value is, in the words of OpenAI's invalid_type messages. */
export function actualType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return ARTICLE[typeof value] ?? typeof value;
}

/** Length in characters (code points), as the models count prompts. */
export function codePoints(text: string): number {
  let surrogates = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        surrogates++;
        i++;
      }
    }
  }
  return text.length - surrogates;
}
