// JSON Schema 2020-12 validation against the spec's component schemas (Ajv), shared by the mock
// (requests), the client (optional response validation) and the conformance suite (responses).
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { spec, type OpenApiDocument } from './spec.js';

const SPEC_ID = 'imagegen-contract:openapi.json';

export interface SchemaProblem {
  path: string;
  message: string;
  keyword: string;
  params: Record<string, unknown>;
}

export class SpecValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDocument = spec()) {
    // OpenAPI vocabulary (example, x-*, discriminator, contentMediaType) is not JSON Schema: strict off.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, validateFormats: true });
    addFormats.default(this.ajv);
    this.ajv.addFormat('unixtime', { type: 'number', validate: () => true });
    this.ajv.addSchema(doc as object, SPEC_ID);
  }

  /** A validator for `#/components/schemas/<name>` (or any local JSON pointer). */
  validator(refOrName: string): ValidateFunction {
    const named = this.compiled.get(refOrName);
    if (named) return named;
    const ref = refOrName.startsWith('#') ? refOrName : `#/components/schemas/${refOrName}`;
    let fn = this.compiled.get(ref);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `${SPEC_ID}${ref}` });
      this.compiled.set(ref, fn);
    }
    this.compiled.set(refOrName, fn); // also under the name it was asked by, so the next call is one lookup
    return fn;
  }

  /** Validates and returns the problems (empty when valid). */
  problems(refOrName: string, value: unknown): SchemaProblem[] {
    const fn = this.validator(refOrName);
    if (fn(value)) return [];
    return (fn.errors ?? []).map(toProblem);
  }
}

function toProblem(e: ErrorObject): SchemaProblem {
  return { path: e.instancePath || '/', message: e.message ?? 'is invalid', keyword: e.keyword, params: e.params as Record<string, unknown> };
}

let shared: SpecValidator | undefined;
export function specValidator(): SpecValidator {
  shared ??= new SpecValidator();
  return shared;
}
