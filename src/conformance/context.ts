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
import { imagesIn } from './preflight.js';
import type { ProgressListener } from './progress-listener.js';
import { imageOrigin } from './run-images.js';
import type { Redactor } from './redact.js';
import type { GenerationKind, Target, TriggerKind } from './types.js';

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
  triggers?: Partial<Record<TriggerKind, string>>;
  waitUrlExpiry?: boolean;
  /** The run's own signal (interruption): shared generations stop with it, not with one check. */
  signal?: AbortSignal;
}

/** What one running check has of its own: its abort signal and the exchanges it caused or read. */
export interface CheckScope {
  signal: AbortSignal;
  /** Sequence numbers of the exchanges sent for the check, and of the shared generations it awaited. */
  seen: Set<number>;
}

/** Shared by every check of a run (the views `forCheck` makes share these). */
interface RunShared {
  generations: Map<string, Promise<Generation>>;
  memos: Map<string, Promise<unknown>>;
  inspected: WeakMap<Exchange, Promise<InspectedItem[]>>;
  validator: SpecValidator;
  /** Images the gateway returned so far (report.imagesMade). */
  returned: { images: number };
}

/**
 * The run's context. Checks receive a per-check view (`forCheck`): the same gateway, budget and
 * shared generations, with the check's own signal and record of what it saw, so checks can run
 * concurrently without sharing mutable state.
 */
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
  readonly validator: SpecValidator;
  readonly progress?: ProgressListener;
  /** The user gave an API key (the wrong-key checks mean something only then). */
  readonly keyProvided: boolean;
  /** For the official SDK checks only; everything else sends it through `http`. */
  readonly apiKey: string | undefined;
  /** How the owner makes the gateway produce errors only it can trigger (`--trigger`). */
  readonly triggers: Partial<Record<TriggerKind, string>>;
  /** `--wait-url-expiry`: the URL-lifetime check may wait for URLs to expire. */
  readonly waitUrlExpiry: boolean;
  /** The running check's own state (undefined on the run-level context). */
  readonly scope: CheckScope | undefined;

  private readonly init: RunContextInit;
  private readonly shared: RunShared;

  constructor(init: RunContextInit, shared?: RunShared, scope?: CheckScope) {
    this.init = init;
    this.shared = shared ?? { generations: new Map(), memos: new Map(), inspected: new WeakMap(), validator: specValidator(), returned: { images: 0 } };
    this.validator = this.shared.validator;
    this.scope = scope;
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
    this.triggers = init.triggers ?? {};
    this.waitUrlExpiry = init.waitUrlExpiry === true;
  }

  /** The view a check runs with: its own abort signal and record of the exchanges it saw. */
  forCheck(signal: AbortSignal): RunContext {
    return new RunContext(this.init, this.shared, { signal, seen: new Set() });
  }

  /** Abort signal of the running check (per-check timeout, interruption). */
  get signal(): AbortSignal | undefined {
    return this.scope?.signal;
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
  async send(req: HttpRequest): Promise<Exchange> {
    const ex = await this.http.send({ ...req, ...(this.signal && !req.signal ? { signal: this.signal } : {}) });
    this.saw(ex);
    return ex;
  }

  /** Notes an exchange (and its earlier attempts) as part of what the running check saw. */
  saw(ex: Exchange): void {
    if (!this.scope) return;
    this.scope.seen.add(ex.seq);
    for (const a of ex.retry?.attempts ?? []) this.scope.seen.add(a.seq);
  }

  /** Memoises a free request (or any async work) under a key, so checks can share it. */
  memo<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.shared.memos.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.shared.memos.set(key, p);
    }
    // A shared request is part of what every check reading it saw (rate limits, retries).
    return p.then((value) => {
      if (isExchange(value)) this.saw(value);
      return value;
    });
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

  /**
   * The shared generation: made once (concurrent checks asking for it wait for the same request),
   * charged to the budget the planner reserved.
   */
  async generation(target: Target, kind: GenerationKind): Promise<Generation> {
    const gen = await this.sharedGeneration(target, kind);
    this.saw(gen.exchange);
    return gen;
  }

  private sharedGeneration(target: Target, kind: GenerationKind): Promise<Generation> {
    const resolved = this.resolveKind(target, kind);
    const key = this.generationKey(target, kind);
    let p = this.shared.generations.get(key);
    if (!p) {
      p = (async () => {
        const def = GENERATIONS[resolved];
        const request = def.build(this, target);
        this.budget.spend(key);
        if (this.progress && request.operation === 'createImage') await this.progress.ready();
        // Not bound to the running check's signal (other checks may share the result); the run's.
        const exchange = await this.http.send({
          ...(this.init.signal ? { signal: this.init.signal } : {}),
          method: 'POST',
          url: request.url,
          body: request.body,
          label: `${resolved} generation for ${target.name || 'the default model'}`,
          // The slow generation is about 504s and cut connections: seen as they come, never retried.
          ...(resolved === 'slow' ? { retry: { transient: false } } : {}),
        });
        this.shared.returned.images += imagesIn(exchange);
        return { kind: resolved, target, request, exchange };
      })();
      this.shared.generations.set(key, p);
    }
    return p;
  }

  /** Images the gateway returned in the run's generations (and those checks reported with `noteReturned`). */
  get imagesReturned(): number {
    return this.shared.returned.images;
  }

  /** A check that made images itself (official SDK) reports how many came back. */
  noteReturned(images: number): void {
    this.shared.returned.images += images;
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
    let p = this.shared.inspected.get(ex);
    if (!p) {
      p = inspectItems(this, ex, 'exchange' in gen ? `${gen.kind} ${gen.target.name}` : ex.label, imageOrigin(this, ex, 'exchange' in gen ? gen.kind : undefined));
      this.shared.inspected.set(ex, p);
    }
    return p;
  }

  /** A check already had the images of this answer inspected (and thumbnailed). */
  inspectedAnswer(ex: Exchange): boolean {
    return this.shared.inspected.has(ex);
  }

  /** Catalogue models of the profile (for foreign sizes etc.). */
  profileModels(): Model[] {
    return profileModels(this.profile);
  }
}

function isExchange(value: unknown): value is Exchange {
  return typeof value === 'object' && value !== null && 'seq' in value && 'redirects' in value && 'requestHeaders' in value;
}
