// The typed client: openapi-fetch over the generated `paths`, with bearer auth, one timeout, errors
// as exceptions, multipart uploads, typed event streams and optional response validation.
import createClient, { type Client } from 'openapi-fetch';
import type { operations, paths } from '../../generated/openapi.js';
import { ImagesApiError, ResponseValidationError, isErrorEnvelope, problem } from './errors.js';
import { imageEvents } from './image-events.js';
import { download } from './image-files.js';
import { toFormData, withUploadFiles, type MultipartFields } from './multipart.js';
import { responseProblems } from './response-schema.js';
import type {
  EditJsonRequest,
  EditRequest,
  GenerateRequest,
  ImageEditStreamEvent,
  ImageGenStreamEvent,
  ImagesResponse,
  Modality,
  ModelList,
  NativeGenerateRequest,
  NativeGenerateResult,
  RequestOptions,
  SuccessBody,
  VariationRequest,
} from './types.js';

export interface ImagesClientOptions {
  /** Base URL as the OpenAI SDK takes it, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:4010/v1`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>` (never to media URLs, which are signed). */
  apiKey: string;
  /** A fetch to use instead of the global one (tests inject one; undici agents go here). */
  fetch?: (request: Request) => Promise<Response>;
  /** Headers sent with every API request (gateway routing headers, `OpenAI-Project`, ...). */
  headers?: Record<string, string>;
  /** Check every success body and stream event against the spec schema; violations throw `ResponseValidationError`. */
  validateResponses?: boolean;
  /** Time limit per call in milliseconds, including reading the body or stream; rejects with a `TimeoutError` DOMException. */
  timeoutMs?: number;
}

export interface MediaDownload {
  bytes: Uint8Array;
  contentType: string | null;
}

export interface ImagesClient {
  /** `POST /images/generations` (JSON). For `stream: true` use `stream()`. */
  generate(body: GenerateRequest & { stream?: false | null }, options?: RequestOptions): Promise<ImagesResponse>;
  /** `POST /images/generations` with `stream: true`: the partial and completed events. The request is sent when iteration starts. */
  stream(body: GenerateRequest, options?: RequestOptions): AsyncIterable<ImageGenStreamEvent>;
  /** `POST /images/edits` as multipart; several images go as `image[]` parts. */
  edit(body: EditRequest & { stream?: false }, options?: RequestOptions): Promise<ImagesResponse>;
  /** `POST /images/edits` as JSON (images by URL or file id; GPT image models). */
  editJson(body: EditJsonRequest & { stream?: false | null }, options?: RequestOptions): Promise<ImagesResponse>;
  /** `POST /images/edits` with `stream: true` (multipart, or JSON when the body has `images`). */
  streamEdit(body: EditRequest | EditJsonRequest, options?: RequestOptions): AsyncIterable<ImageEditStreamEvent>;
  /** `POST /images/variations` (multipart). */
  createVariation(body: VariationRequest, options?: RequestOptions): Promise<ImagesResponse>;
  /** `GET /models`, optionally `?modality=image`. */
  listModels(query?: { modality?: Modality }, options?: RequestOptions): Promise<ModelList>;
  /** Ref 000's `POST /inference/images/generate`: the `data` of the `{status: "ok", data}` envelope. */
  generateNative(body: NativeGenerateRequest, options?: RequestOptions): Promise<NativeGenerateResult>;
  /** GETs an image `url` (absolute, or relative to baseUrl) without the API key. */
  downloadMedia(url: string, options?: RequestOptions): Promise<MediaDownload>;
  /** The underlying openapi-fetch client (auth and base headers applied), for anything not wrapped here. */
  readonly raw: Client<paths>;
}

type Fetched = { data?: unknown; error?: unknown; response: Response };

const mediaTypeOf = (response: Response) => (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
const isJsonMediaType = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

export function createImagesClient(options: ImagesClientOptions): ImagesClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetcher = options.fetch ?? ((request: Request) => fetch(request));
  const validate = options.validateResponses === true;
  const raw = createClient<paths>({
    baseUrl,
    fetch: fetcher,
    headers: { Accept: 'application/json', ...options.headers, Authorization: `Bearer ${options.apiKey}` },
  });

  const signal = (call?: RequestOptions): AbortSignal | undefined => {
    const signals = [call?.signal, options.timeoutMs !== undefined ? AbortSignal.timeout(options.timeoutMs) : undefined].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    return signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  };
  const init = (call: RequestOptions | undefined, accept?: string) => {
    const s = signal(call);
    return { headers: { ...(accept ? { Accept: accept } : {}), ...call?.headers }, ...(s ? { signal: s } : {}) };
  };

  /** The parsed JSON success body, or the error it is. */
  async function json<Op extends keyof operations>(
    operationId: Op,
    fetched: Promise<Fetched>,
    check?: (body: SuccessBody<Op>) => string | undefined,
  ): Promise<SuccessBody<Op>> {
    const { data, error, response } = await fetched;
    const { status, headers } = response;
    if (!response.ok) throw new ImagesApiError({ status, body: error === '' ? undefined : error, headers });
    const text = typeof data === 'string' ? data : '';
    const mediaType = mediaTypeOf(response);
    const invalid = (keyword: string, message: string, body: unknown) =>
      new ResponseValidationError({ operationId, status, problems: [problem(keyword, message)], body, headers });
    if (!isJsonMediaType(mediaType)) throw invalid('contentType', `expected content-type application/json, got '${mediaType || '(none)'}'`, text);
    if (text.trim() === '') throw invalid('json', 'the response body is empty', text);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw invalid('json', `malformed JSON: ${(e as Error).message}`, text);
    }
    // Some gateways answer errors with 200 (ref: Portkey); never hand those out as results.
    if (isErrorEnvelope(body)) throw new ImagesApiError({ status, body, headers });
    if (validate) {
      const problems = responseProblems(operationId, status, mediaType, body);
      if (problems.length) throw new ResponseValidationError({ operationId, status, problems, body, headers });
    }
    const wrong = check?.(body as SuccessBody<Op>);
    if (wrong) throw invalid('envelope', wrong, body);
    return body as SuccessBody<Op>;
  }

  /** Events of a streamed call; the request is sent when iteration starts. */
  async function* events<E>(operationId: string, fetched: () => Promise<Fetched>): AsyncGenerator<E> {
    const { error, response } = await fetched();
    if (!response.ok) throw new ImagesApiError({ status: response.status, body: error === '' ? undefined : error, headers: response.headers });
    yield* imageEvents<E>(response, { operationId, validate });
  }

  // openapi-fetch types multipart bodies with the spec's `string` for binary parts (openapi-typescript
  // #1214); the real body is our fields with Files, turned into FormData by the serializer.
  const multipart = { bodySerializer: (fields: unknown) => toFormData(fields as MultipartFields) };
  const editFields = (body: EditRequest) => withUploadFiles(body, ['image', 'mask']);

  return {
    raw,
    generate: (body, call) => json('createImage', raw.POST('/images/generations', { body, parseAs: 'text', ...init(call) })),
    stream: (body, call) =>
      events<ImageGenStreamEvent>('createImage', () =>
        raw.POST('/images/generations', { body: { ...body, stream: true }, parseAs: 'stream', ...init(call, 'text/event-stream') }),
      ),
    edit: async (body, call) =>
      json('createImageEdit', raw.POST('/images/edits', { body: (await editFields(body)) as never, ...multipart, parseAs: 'text', ...init(call) })),
    editJson: (body, call) => json('createImageEdit', raw.POST('/images/edits', { body, parseAs: 'text', ...init(call) })),
    streamEdit: (body, call) =>
      events<ImageEditStreamEvent>('createImageEdit', async () =>
        'images' in body
          ? raw.POST('/images/edits', { body: { ...body, stream: true }, parseAs: 'stream', ...init(call, 'text/event-stream') })
          : raw.POST('/images/edits', {
              body: (await editFields({ ...body, stream: true })) as never,
              ...multipart,
              parseAs: 'stream',
              ...init(call, 'text/event-stream'),
            }),
      ),
    createVariation: async (body, call) =>
      json(
        'createImageVariation',
        raw.POST('/images/variations', { body: (await withUploadFiles(body, ['image'])) as never, ...multipart, parseAs: 'text', ...init(call) }),
      ),
    listModels: (query = {}, call) => json('listModels', raw.GET('/models', { params: { query }, parseAs: 'text', ...init(call) })),
    generateNative: async (body, call) => {
      const envelope = await json('generateNativeImage', raw.POST('/inference/images/generate', { body, parseAs: 'text', ...init(call) }), (b) =>
        b?.status === 'ok' && typeof b.data === 'object' && b.data !== null ? undefined : 'expected the native envelope {"status": "ok", "data": {...}}',
      );
      return envelope.data;
    },
    downloadMedia: (url, call) => {
      const s = signal(call);
      return download(new URL(url, `${baseUrl}/`).href, { fetch: fetcher, ...(s ? { signal: s } : {}) });
    },
  };
}
