// The model catalogue (generated/models.json, from openapi/models.yaml): lookups by id or alias and
// the per-model rules the mock enforces and the suite tests.
import { readGeneratedJson } from './files.js';
import { isSupported, type Catalogue, type EnumParam, type Model, type ModelEntry, type OperationId } from './catalogue-types.js';

export * from './catalogue-types.js';

let cached: { catalogue: Catalogue; byName: Map<string, Model> } | undefined;
/** Models added or overridden by a user catalogue (`--catalogue FILE`), by id. Process-wide. */
let overlay: Record<string, ModelEntry> = {};

/**
 * Adds or overrides models (a user catalogue, already validated): by id, for the whole process. An
 * alias that names another model is an error. Pass `{}` to go back to the built-in catalogue.
 */
export function extendCatalogue(models: Record<string, ModelEntry>): void {
  const previous = overlay;
  overlay = Object.keys(models).length ? { ...overlay, ...models } : {};
  cached = undefined;
  try {
    load();
  } catch (e) {
    overlay = previous;
    cached = undefined;
    throw e;
  }
}

function load() {
  if (!cached) {
    const builtIn = readGeneratedJson<Catalogue>('models.json');
    const catalogue: Catalogue = { ...builtIn, models: { ...builtIn.models, ...overlay } };
    const byName = new Map<string, Model>();
    for (const [id, entry] of Object.entries(catalogue.models)) {
      const model: Model = { id, ...entry };
      for (const name of [id, ...entry.aliases]) {
        if (byName.has(name)) throw new Error(`model catalogue: '${name}' names two models`);
        byName.set(name, model);
      }
    }
    cached = { catalogue, byName };
  }
  return cached;
}

export function catalogue(): Catalogue {
  return load().catalogue;
}

export function allModels(): Model[] {
  return Object.entries(load().catalogue.models).map(([id, entry]) => ({ id, ...entry }));
}

/** Finds a model by id or alias (`dall-e-3`, `openai/dall-e-3`); undefined when unknown. */
export function findModel(name: string): Model | undefined {
  return load().byName.get(name);
}

export function supportsOperation(model: Model, operation: OperationId): boolean {
  return model.operations.includes(operation);
}

const SIZE = /^([1-9][0-9]{0,4})x([1-9][0-9]{0,4})$/;

export function parseSize(size: string): { width: number; height: number } | undefined {
  const m = SIZE.exec(size);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : undefined;
}

/** Why `size` is not allowed for the model, or undefined when it is. */
export function sizeProblem(model: Model, size: string): string | undefined {
  if (model.size.values.includes(size)) return undefined;
  const rules = model.size.custom;
  const dims = parseSize(size);
  if (!rules || !dims) return `not one of ${model.size.values.join(', ')}`;
  const { width, height } = dims;
  if (width % rules.multipleOf || height % rules.multipleOf) return `width and height must be multiples of ${rules.multipleOf}`;
  if (Math.min(width, height) < rules.minEdge || Math.max(width, height) > rules.maxEdge)
    return `edges must be between ${rules.minEdge} and ${rules.maxEdge} pixels`;
  const aspect = width / height;
  if ((rules.minAspect !== undefined && aspect < rules.minAspect) || (rules.maxAspect !== undefined && aspect > rules.maxAspect))
    return `aspect ratio must be between ${rules.minAspect ?? 0} and ${rules.maxAspect ?? 'any'}`;
  if (rules.maxPixels !== undefined && width * height > rules.maxPixels) return `at most ${rules.maxPixels} pixels`;
  return undefined;
}

/** The concrete size an image has for a requested size (resolving `auto`). */
export function resolveSize(model: Model, size: string | undefined): string {
  const requested = size ?? model.size.default;
  return model.size.resolves?.[requested] ?? requested;
}

/** The smallest allowed concrete size (cheapest to make and to check). */
export function smallestSize(model: Model): string {
  const concrete = model.size.values.map((s) => ({ s, d: parseSize(s) })).filter((x) => x.d);
  concrete.sort((a, b) => a.d!.width * a.d!.height - b.d!.width * b.d!.height);
  return concrete[0]?.s ?? resolveSize(model, undefined);
}

/** Price of one image from the catalogue, or undefined when no reference gives one. */
export function pricePerImage(model: Model, size?: string, quality?: string): number | undefined {
  // The request's size and quality as the model resolves them (omitted -> default, auto -> concrete);
  // no entry for that combination: unknown, never another size's price.
  const s = resolveSize(model, size);
  const q = resolvedQuality(model, quality);
  const match = (model.pricing ?? []).find((p) => (p.size === undefined || p.size === s) && (p.quality === undefined || q === undefined || p.quality === q));
  return match?.usd;
}

function resolvedQuality(model: Model, quality: string | undefined): string | undefined {
  const p = model.params.quality;
  if (!p || !isSupported(p) || !('values' in p)) return quality;
  const enumP = p as EnumParam;
  const wanted = quality ?? enumP.default;
  return wanted === undefined ? undefined : (enumP.resolves?.[wanted] ?? wanted);
}

/** `auto`-like values: the keys of a `resolves` map, which the server turns into a concrete value of its choosing. */
export function isSymbolic(resolves: Record<string, string> | undefined, value: string): boolean {
  return resolves !== undefined && Object.hasOwn(resolves, value);
}

/**
 * Whether an image of `actual` size honours a request for `requested` (undefined: the default). A
 * concrete size must be met exactly; a symbolic one (`auto`) by any size the model allows - the
 * catalogue's `resolves` is only what the mock picks, a real server may pick another.
 */
export function sizeSatisfies(model: Model, requested: string | undefined, actual: string): boolean {
  const wanted = requested ?? model.size.default;
  if (!isSymbolic(model.size.resolves, wanted)) return actual === wanted;
  return parseSize(actual) !== undefined && sizeProblem(model, actual) === undefined;
}

/** Whether an echoed enum value honours a request for `requested` (undefined: the default), as `sizeSatisfies`. */
export function valueSatisfies(param: EnumParam, requested: string | undefined, actual: string): boolean {
  const wanted = requested ?? param.default;
  if (wanted === undefined) return param.values.includes(actual) && !isSymbolic(param.resolves, actual);
  if (!isSymbolic(param.resolves, wanted)) return actual === wanted;
  return param.values.includes(actual) && !isSymbolic(param.resolves, actual);
}
