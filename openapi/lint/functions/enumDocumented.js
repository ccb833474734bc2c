// imagegen-enum-documented: every enumeration says what its values mean. Either an `enum` with a
// `description` and an `x-enum-descriptions` map that describes every value (and nothing else), or
// a `oneOf` of `const` branches that each carry a `description` (the ErrorCode style).
import { forEachSchema } from './lib/openapi.js';

const text = (value) => typeof value === 'string' && value.trim() !== '';

export default function enumDocumented(doc) {
  const results = [];
  forEachSchema(doc, (schema, path) => {
    if (Array.isArray(schema.enum)) {
      if (!text(schema.description)) results.push({ message: 'Enum has no description.', path: [...path, 'enum'] });
      const described = schema['x-enum-descriptions'];
      if (!described || typeof described !== 'object' || Array.isArray(described)) {
        results.push({ message: 'Enum has no `x-enum-descriptions` map (value -> meaning).', path: [...path, 'enum'] });
        return;
      }
      const values = schema.enum.filter((v) => v !== null).map(String);
      for (const value of values)
        if (!text(described[value])) results.push({ message: `Enum value '${value}' is not described in x-enum-descriptions.`, path: [...path, 'enum'] });
      for (const key of Object.keys(described))
        if (!values.includes(key))
          results.push({ message: `x-enum-descriptions describes '${key}', which is not an enum value.`, path: [...path, 'x-enum-descriptions', key] });
    }
    const branches = schema.oneOf ?? schema.anyOf;
    if (Array.isArray(branches) && branches.length > 0 && branches.every((b) => b && typeof b === 'object' && 'const' in b)) {
      const keyword = schema.oneOf ? 'oneOf' : 'anyOf';
      if (!text(schema.description)) results.push({ message: 'Const vocabulary has no description.', path: [...path, keyword] });
      branches.forEach((branch, i) => {
        if (!text(branch.description))
          results.push({ message: `Const '${String(branch.const)}' has no description.`, path: [...path, keyword, i] });
      });
    }
  });
  return results;
}
