// Maps JSON Schema problems (Ajv, via specValidator) to the contract's error kinds, the way OpenAI
// words them: required → missing_required_parameter, type → invalid_type, enum/pattern/format →
// invalid_value, minimum/maximum → integer_out_of_range, prompt maxLength → prompt_too_long,
// empty prompt → empty_prompt, extra keys of closed objects → unknown_parameter.
import { quoteList, type ErrorVars } from '../../../contract/errors.js';
import { deref, spec, type JsonObject } from '../../../contract/spec.js';
import type { SchemaProblem } from '../../../contract/validator.js';
import { actualType, codePoints, expectedTypes, paramPath, show } from '../wording.js';

export interface KindAndVars {
  kind: string;
  vars: ErrorVars & { param?: string | null };
}

const rangeCache = new Map<string, { min?: number; max?: number }>();

/** minimum/maximum of a top-level property of a component schema (through $ref/anyOf/oneOf). */
export function propertyRange(schemaName: string, property: string): { min?: number; max?: number } {
  const key = `${schemaName}#${property}`;
  const known = rangeCache.get(key);
  if (known) return known;
  const out: { min?: number; max?: number } = {};
  const visit = (node: unknown, depth: number) => {
    const s = deref<JsonObject>(node);
    if (!s || typeof s !== 'object' || depth > 8) return;
    if (typeof s.minimum === 'number') out.min = s.minimum;
    if (typeof s.maximum === 'number') out.max = s.maximum;
    for (const k of ['anyOf', 'oneOf', 'allOf'] as const) if (Array.isArray(s[k])) for (const b of s[k] as unknown[]) visit(b, depth + 1);
  };
  const schema = deref<JsonObject>(spec().components.schemas[schemaName]);
  visit((schema?.properties as JsonObject | undefined)?.[property], 0);
  rangeCache.set(key, out);
  return out;
}

/** The value at a JSON pointer of the request body. */
function valueAt(body: unknown, pointer: string): unknown {
  let node = body;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const COMBINATORS = new Set(['anyOf', 'oneOf', 'allOf', 'if', 'not']);
const isNullBranch = (p: SchemaProblem) => p.keyword === 'type' && (p.params.type === 'null' || (Array.isArray(p.params.type) && p.params.type.length === 1 && p.params.type[0] === 'null'));

/** The error kind for the first problem of a body that failed `schemaName`. */
export function kindForProblems(schemaName: string, body: unknown, problems: readonly SchemaProblem[]): KindAndVars {
  // A missing required property of the body itself comes first (prompt, image, model, images).
  const missing = problems.find((p) => p.keyword === 'required' && p.path === '/');
  if (missing) return { kind: 'missing_required_parameter', vars: { param: String(missing.params.missingProperty) } };
  const root = problems.find((p) => p.path === '/' && p.keyword === 'type');
  if (root) return { kind: 'invalid_type', vars: { param: 'body', expected: expectedTypes(root.params.type), actual: actualType(body) } };

  // Problems of the first failing top-level property, without the bookkeeping of combinators
  // and of the `null` branch every optional field has.
  const first = problems[0]!;
  const top = first.path.split('/')[1] ?? '';
  const group = problems.filter((p) => p.path === `/${top}` || p.path.startsWith(`/${top}/`));
  const meaningful = group.filter((p) => !COMBINATORS.has(p.keyword) && !isNullBranch(p));
  const chosen = meaningful.find((p) => p.keyword !== 'type') ?? meaningful[0] ?? group[0] ?? first;
  const pointer = chosen.path === '/' ? '' : chosen.path;
  const value = valueAt(body, pointer);
  const param = paramPath(pointer);

  switch (chosen.keyword) {
    case 'required':
      return { kind: 'missing_required_parameter', vars: { param: paramPath(`${pointer}/${String(chosen.params.missingProperty)}`) } };
    case 'type':
      return { kind: 'invalid_type', vars: { param, expected: expectedTypes(chosen.params.type), actual: actualType(value) } };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const range = pointer.split('/').length === 2 ? propertyRange(schemaName, top) : {};
      return { kind: 'integer_out_of_range', vars: { param, min: range.min ?? '-', max: range.max ?? '-', value: show(value) } };
    }
    case 'maxLength':
      if (pointer === '/prompt') return { kind: 'prompt_too_long', vars: { param, max: Number(chosen.params.limit), length: codePoints(String(value)) } };
      break;
    case 'minLength':
      if (pointer === '/prompt') return { kind: 'empty_prompt', vars: { param } };
      break;
    case 'additionalProperties':
      return { kind: 'unknown_parameter', vars: { param: paramPath(`${pointer}/${String(chosen.params.additionalProperty)}`) } };
  }
  // enum, const, pattern, format, lengths, item counts, oneOf ambiguity: a value not accepted.
  const enums = group.filter((p) => p.keyword === 'enum').flatMap((p) => (p.params.allowedValues as unknown[]) ?? []);
  const allowed =
    enums.length > 0
      ? quoteList(enums.map(String))
      : chosen.keyword === 'const'
        ? quoteList([String(chosen.params.allowedValue)])
        : describeRule(chosen);
  return { kind: 'invalid_value', vars: { param, value: show(value), allowed } };
}

function describeRule(p: SchemaProblem): string {
  switch (p.keyword) {
    case 'pattern':
      return `strings matching ${show(p.params.pattern, 128)}`;
    case 'format':
      return `a valid ${String(p.params.format)}`;
    case 'maxLength':
      return `strings of at most ${String(p.params.limit)} characters`;
    case 'minLength':
      return `strings of at least ${String(p.params.limit)} characters`;
    case 'maxItems':
      return `at most ${String(p.params.limit)} items`;
    case 'minItems':
      return `at least ${String(p.params.limit)} items`;
    case 'maxProperties':
      return `at most ${String(p.params.limit)} keys`;
    case 'oneOf':
      return 'exactly one of the documented alternatives';
    default:
      return `values that satisfy '${p.keyword}'`;
  }
}
