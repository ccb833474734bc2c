// imagegen-bounded-string: every string schema has a length bound. Accepted bounds, in order:
//   maxLength; enum or const; a `format` whose grammar fixes the length (date, time, date-time, uuid,
//   ipv4, ipv6 - NOT uri, email or hostname, which are unbounded or loosely bounded); or a `pattern`
//   anchored with ^...$ (no top-level |) whose quantifiers are all bounded (no *, + or {n,}).
import { forEachSchema, types } from './lib/openapi.js';

export const BOUNDED_FORMATS = ['date', 'time', 'date-time', 'uuid', 'ipv4', 'ipv6'];

/** True when every string the (ECMAScript) pattern matches has a bounded length. */
export function patternIsBounded(pattern) {
  if (typeof pattern !== 'string' || !pattern.startsWith('^')) return false;
  let depth = 0;
  let inClass = false;
  for (let i = 1; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++; // the escaped character is a literal or a class like \d: bounded either way
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '*' || c === '+') return false;
    else if (c === '|' && depth === 0) return false; // ^a|b$ anchors only one side of each branch
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (m && m[2] !== undefined && m[3] === '') return false;
    } else if (c === '$') return i === pattern.length - 1 && depth === 0;
  }
  return false; // never reached an unescaped closing $
}

export default function boundedString(doc) {
  const results = [];
  forEachSchema(doc, (schema, path) => {
    if (!types(schema).includes('string')) return;
    if (typeof schema.maxLength === 'number') return;
    if (Array.isArray(schema.enum) || 'const' in schema) return;
    if (BOUNDED_FORMATS.includes(schema.format)) return;
    if (patternIsBounded(schema.pattern)) return;
    results.push({
      message: `String schema has no length bound: add maxLength (or enum/const, a fixed-length format such as ${BOUNDED_FORMATS.join('/')}, or an anchored pattern with bounded quantifiers).`,
      path,
    });
  });
  return results;
}
