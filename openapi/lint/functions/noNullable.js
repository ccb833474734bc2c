// imagegen-no-nullable: OpenAPI 3.1 schemas are JSON Schema 2020-12, where `nullable` is not a
// keyword (strict validators ignore it and reject null). Write `type: [X, 'null']` or
// `anyOf: [..., {type: 'null'}]` instead.
import { forEachSchema } from './lib/openapi.js';

export default function noNullable(doc) {
  const results = [];
  forEachSchema(doc, (schema, path) => {
    if (Object.prototype.hasOwnProperty.call(schema, 'nullable'))
      results.push({
        message: "`nullable` is not a keyword in OpenAPI 3.1; use `type: [<type>, 'null']` or `anyOf` with `{type: 'null'}`.",
        path: [...path, 'nullable'],
      });
  });
  return results;
}
