// Error bodies of the contract, built from the spec's error examples (`x-error` on
// components/examples): the documented example *is* the body the mock sends, with its message
// template filled in. Nothing about statuses, types or codes is restated in code.
import { spec, constVocabulary, type ErrorAlternative, type OpenApiDocument } from './spec.js';

export interface ErrorKind {
  kind: string;
  status: number;
  example: string;
  /** The OpenAI-envelope body of the example. */
  body: { error: { message: string; type: string; param: string | null; code: string | null; [extra: string]: unknown } };
  template?: string;
  native?: { code: string; status: number };
  /** Other (code, param, type) answers OpenAI gives for the same fault (spec `x-error.alternatives`). */
  alternatives: ErrorAlternative[];
  /** Why clients branch on this kind's code (ErrorCode `x-contractual`): the code is then contract, not fidelity. */
  contractual?: string;
}

/** One acceptable (code, param, type) answer for a fault. */
export interface ErrorForm {
  code: string | null;
  param: string | null;
  type: string;
}

/** Template values; `param` (string or null) also overrides the example's param. */
export type ErrorVars = Record<string, string | number | null | undefined>;

let cached: Map<string, ErrorKind> | undefined;

export function errorKinds(doc: OpenApiDocument = spec()): Map<string, ErrorKind> {
  if (cached && doc === spec()) return cached;
  const nativeStatus = new Map(constVocabulary('NativeErrorCode', doc).map((c) => [c.value, c.status]));
  const contractual = new Map(constVocabulary('ErrorCode', doc).flatMap((c) => (c.contractual ? [[c.value, c.contractual] as const] : [])));
  const kinds = new Map<string, ErrorKind>();
  for (const [name, example] of Object.entries(doc.components.examples)) {
    const meta = example['x-error'];
    if (!meta) continue;
    if (kinds.has(meta.kind)) throw new Error(`two error examples declare kind '${meta.kind}'`);
    const native = meta.native ? { code: meta.native, status: nativeStatus.get(meta.native) ?? meta.status } : undefined;
    kinds.set(meta.kind, {
      kind: meta.kind,
      status: meta.status,
      example: name,
      body: example.value as ErrorKind['body'],
      alternatives: meta.alternatives ?? [],
      ...(typeof (example.value as ErrorKind['body']).error.code === 'string' && contractual.has((example.value as ErrorKind['body']).error.code!)
        ? { contractual: contractual.get((example.value as ErrorKind['body']).error.code!)! }
        : {}),
      ...(meta.template ? { template: meta.template } : {}),
      ...(native ? { native } : {}),
    });
  }
  if (doc === spec()) cached = kinds;
  return kinds;
}

export function errorKind(kind: string): ErrorKind {
  const found = errorKinds().get(kind);
  if (!found) throw new Error(`no error example declares x-error kind '${kind}'`);
  return found;
}

/**
 * Every (code, param, type) OpenAI answers a fault of `kind` with: the example's (param overridden by
 * `param` unless undefined) and its alternatives.
 */
export function errorForms(kind: string, param?: string | null): ErrorForm[] {
  const k = errorKind(kind);
  const own = param !== undefined ? param : k.body.error.param;
  return [
    { code: k.body.error.code, param: own, type: k.body.error.type },
    ...k.alternatives.map((a) => ({ code: a.code, param: a.param !== undefined ? a.param : own, type: a.type ?? k.body.error.type })),
  ];
}

export function fillTemplate(template: string, vars: ErrorVars): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (vars[key] === undefined || vars[key] === null ? whole : String(vars[key])));
}

export interface BuiltError {
  status: number;
  body: unknown;
}

/**
 * The body and status for an error kind. `param` overrides the example's param (undefined keeps it);
 * `envelope: 'native'` gives ref 000's `{status: "error", error: {code, message}}`.
 */
export function buildError(
  kind: string,
  vars: ErrorVars = {},
  options: { envelope?: 'openai' | 'native'; requestId?: string } = {},
): BuiltError {
  const k = errorKind(kind);
  const message = k.template ? fillTemplate(k.template, vars) : k.body.error.message;
  if (options.envelope === 'native') {
    const native = k.native ?? { code: 'INTERNAL_ERROR', status: k.status };
    return {
      status: native.status,
      body: { status: 'error', error: { code: native.code, message, ...(options.requestId ? { request_id: options.requestId } : {}) } },
    };
  }
  const param = vars.param !== undefined ? (vars.param === null ? null : String(vars.param)) : k.body.error.param;
  return { status: k.status, body: { error: { ...k.body.error, message, param } } };
}

/** `'a', 'b', and 'c'` as OpenAI lists allowed values in messages. */
export function quoteList(values: readonly (string | number)[]): string {
  const q = values.map((v) => `'${v}'`);
  return q.length <= 2 ? q.join(' and ') : `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}
