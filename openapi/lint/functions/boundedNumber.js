// imagegen-bounded-number: every integer or number schema has a lower bound (minimum or
// exclusiveMinimum) and an upper bound (maximum or exclusiveMaximum), unless enum/const fixes it.
import { forEachSchema, types } from './lib/openapi.js';

export default function boundedNumber(doc) {
  const results = [];
  forEachSchema(doc, (schema, path) => {
    const t = types(schema);
    if (!t.includes('integer') && !t.includes('number')) return;
    if (Array.isArray(schema.enum) || 'const' in schema) return;
    const missing = [];
    if (typeof schema.minimum !== 'number' && typeof schema.exclusiveMinimum !== 'number') missing.push('minimum');
    if (typeof schema.maximum !== 'number' && typeof schema.exclusiveMaximum !== 'number') missing.push('maximum');
    if (missing.length) results.push({ message: `${t.filter((x) => x !== 'null').join('/')} schema has no ${missing.join(' and ')}.`, path });
  });
  return results;
}
