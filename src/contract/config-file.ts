// Reading a user's YAML/JSON configuration file (a profile or a catalogue) against one of the
// project's JSON Schemas, with a one-line error that names the file and the offending field.
import { existsSync, readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import YAML from 'yaml';
import { readOpenapiFile } from './files.js';

export class ConfigFileError extends Error {}

const validators = new Map<string, ReturnType<Ajv2020['compile']>>();

function validatorFor(schemaFile: string) {
  let v = validators.get(schemaFile);
  if (!v) {
    v = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(readOpenapiFile(schemaFile)));
    validators.set(schemaFile, v);
  }
  return v;
}

/** The most useful Ajv error as `field: message` (the deepest path; `oneOf` noise last). */
function describeError(errors: ErrorObject[]): string {
  const ranked = [...errors].sort((a, b) => {
    const noise = (e: ErrorObject) => (e.keyword === 'oneOf' || e.keyword === 'anyOf' ? 1 : 0);
    return noise(a) - noise(b) || b.instancePath.split('/').length - a.instancePath.split('/').length;
  });
  const e = ranked[0]!;
  const field = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
  const extra =
    e.keyword === 'additionalProperties'
      ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'`
      : e.keyword === 'enum'
        ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
        : '';
  return `${field}: ${e.message}${extra}`;
}

/** Parses and validates a YAML/JSON file; `x-*` and `$schema` top-level keys are dropped first. */
export function readConfigFile(path: string, schemaFile: string, what: string): Record<string, unknown> {
  if (!existsSync(path)) throw new ConfigFileError(`${what} file ${path} does not exist`);
  let doc: unknown;
  try {
    doc = YAML.parse(readFileSync(path, 'utf8'), { merge: true });
  } catch (e) {
    throw new ConfigFileError(`${what} file ${path} is not YAML/JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigFileError(`${what} file ${path} is invalid: (top level): must be an object`);
  const obj = doc as Record<string, unknown>;
  for (const key of Object.keys(obj)) if (key === '$schema' || key.startsWith('x-')) delete obj[key];
  const validate = validatorFor(schemaFile);
  if (!validate(obj)) throw new ConfigFileError(`${what} file ${path} is invalid: ${describeError(validate.errors ?? [])}`);
  return obj;
}
