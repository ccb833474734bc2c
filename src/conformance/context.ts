// The run context every check receives: where the gateway's operations live (per profile), the
// models under test, the HTTP client, the image budget and the shared generations cache.
import { findModel, type Model } from '../contract/catalogue.js';
import { profileModels, type Profile } from '../contract/profiles.js';
import { operation as specOperation } from '../contract/spec.js';
import { specValidator, type SpecValidator } from '../contract/validator.js';
import { Budget } from './budget.js';
import { GENERATIONS, type GenerationRequest, type ImageOperation } from './generations.js';
import { HttpClient, type Exchange, type HttpRequest } from './http.js';
import { ImageGallery, inspectItems, type InspectedItem } from './inspect-images.js';
import type { ProgressListener } from './progress-listener.js';
import { imageOrigin } from './run-images.js';
import type { Redactor } from './redact.js';
import type { GenerationKind, Target } from './types.js';

export interface Generation {
  kind: GenerationKind;
  target: Target;
  request: GenerationRequest;
  exchange: Exchange;
}

export interface RunContextInit {
  baseUrl: string;
  profile: Profile;
  targets: Target[];
  apiKey?: string;
  http: HttpClient;
  redactor: Redactor;
  budget: Budget;
  gallery: ImageGallery;
  progress?: ProgressListener;
}

export class RunContext {
  readonly baseUrl: string;
  readonly origin: string;
  /** Where the OpenAI-compatible operations live (ScaiGrid: origin + /oai/v1). */
  readonly openaiBase: string;
  readonly profile: Profile;
  readonly targets: Target[];
  readonly http: HttpClient;
  readonly redactor: Redactor;
  readonly budget: Budget;
  readonly gallery: ImageGallery;
  readonly validator: SpecValidator = specValidator();
  readonly progress?: ProgressListener;
  /** The user gave an API key (the wrong-key checks mean something only then). */
  readonly keyProvided: boolean;
  /** For the official SDK checks only; everything else sends it through `http`. */
  readonly apiKey: string | undefined;
  /** Abort signal of the running check (per-check timeout). */
  signal: AbortSignal | undefined;

  private readonly generations = new Map<string, Promise<Generation>>();
  private readonly memos = new Map<string, Promise<unknown>>();
  private readonly inspected = new WeakMap<Exchange, Promise<InspectedItem[]>>();

  constructor(init: RunContextInit) {
    this.baseUrl = init.baseUrl.replace(/\/+$/, '');
    this.origin = new URL(this.baseUrl).origin;
    this.profile = init.profile;
    this.openaiBase = init.profile.openaiPrefix ? `${this.origin}${init.profile.openaiPrefix.replace(/\/+$/, '')}` : this.baseUrl;
    this.targets = init.targets;
    this.http = init.http;
    this.redactor = init.redactor;
    this.budget = init.budget;
    this.gallery = init.gallery;
    if (init.progress) this.progress = init.progress;
    this.keyProvided = Boolean(init.apiKey);
    this.apiKey = init.apiKey;
  }

  /** The target run-scope checks use: the first model under test. */
  get primary(): Target {
    return this.targets[0]!;
  }

  /** URL of a spec operation on this gateway (path from the spec; base per profile). */
  operationUrl(operationId: ImageOperation | 'listModels' | 'getMedia', pathParams: Record<string, string> = {}): string {
    const path = specOperation(operationId).path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(pathParams[k] ?? ''));
    const openai = operationId === 'createImage' || operationId === 'createImageEdit' || operationId === 'createImageVariation';
    return `${openai ? this.openaiBase : this.baseUrl}${path}`;
  }

  /** The catalogue model a profile uses when a request omits `model`. */
  defaultModel(operation: ImageOperation): Model | undefined {
    const id = this.profile.defaultModel[operation];
    return id ? findModel(id) : undefined;
  }

  /** Sends a request within the running check (aborted when the check times out). */
  send(req: HttpRequest): Promise<Exchange> {
    return this.http.send({ ...req, ...(this.signal && !req.signal ? { signal: this.signal } : {}) });
  }

  /** Memoises a free request (or any async work) under a key, so checks can share it. */
  memo<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memos.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.memos.set(key, p);
    }
    return p;
  }

  /** The kind that actually serves `kind` for this target (following aliases). */
  resolveKind(target: Target, kind: GenerationKind): GenerationKind {
    let current = kind;
    for (let i = 0; i < 4; i++) {
      const next = GENERATIONS[current].alias?.(this, target);
      if (!next) return current;
      current = next;
    }
    return current;
  }

  generationKey(target: Target, kind: GenerationKind): string {
    const resolved = this.resolveKind(target, kind);
    return `${resolved}:${target.name}`;
  }

  /** The shared generation (made once, charged to the budget the planner reserved). */
  generation(target: Target, kind: GenerationKind): Promise<Generation> {
    const resolved = this.resolveKind(target, kind);
    const key = this.generationKey(target, kind);
    let p = this.generations.get(key);
    if (!p) {
      p = (async () => {
        const def = GENERATIONS[resolved];
        const request = def.build(this, target);
        this.budget.spend(key);
        if (this.progress && request.operation === 'createImage') await this.progress.ready();
        // Not bound to the running check's signal: other checks may share the result.
        const exchange = await this.http.send({
          method: 'POST',
          url: request.url,
          body: request.body,
          label: `${resolved} generation for ${target.name || 'the default model'}`,
        });
        return { kind: resolved, target, request, exchange };
      })();
      this.generations.set(key, p);
    }
    return p;
  }

  /** Charges a generation made by the check itself (official SDK) and returns its request. */
  claim(target: Target, kind: GenerationKind): GenerationRequest {
    const key = this.generationKey(target, kind);
    this.budget.spend(key);
    return GENERATIONS[kind].build(this, target);
  }

  /** The images of a response, downloaded/decoded once and shared by the image checks. */
  items(gen: Generation | Exchange): Promise<InspectedItem[]> {
    const ex = 'exchange' in gen ? gen.exchange : gen;
    let p = this.inspected.get(ex);
    if (!p) {
      p = inspectItems(this, ex, 'exchange' in gen ? `${gen.kind} ${gen.target.name}` : ex.label, imageOrigin(this, ex, 'exchange' in gen ? gen.kind : undefined));
      this.inspected.set(ex, p);
    }
    return p;
  }

  /** A check already had the images of this answer inspected (and thumbnailed). */
  inspectedAnswer(ex: Exchange): boolean {
    return this.inspected.has(ex);
  }

  /** Catalogue models of the profile (for foreign sizes etc.). */
  profileModels(): Model[] {
    return profileModels(this.profile);
  }
}
