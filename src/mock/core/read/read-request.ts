// Reading a request body for an operation: Content-Type against the operation's request media
// types, then JSON within the byte limit or multipart. Problems become their contract answer here;
// operations get the body or that Response.
import { coerceFormFields } from './form-fields.js';
import { MultipartError, parseMultipart, type UploadedFile } from './multipart.js';
import { declaredTooLarge, discardRest, isBodyProblem, mediaType, readBody, requestMediaTypes, requestSchema, tooLarge, unsupportedMediaType, type BodyProblem } from './body.js';
import type { RequestContext } from '../request-context.js';
import { textFileField } from '../rules/request-rules.js';
import { error } from '../answer/respond.js';
import type { MockState } from '../state.js';
import { allModels } from '../../../contract/catalogue.js';
import { spec, deref, type JsonObject } from '../../../contract/spec.js';

export type ReadBody =
  | { media: 'application/json'; schema: string; text: string }
  | { media: 'multipart/form-data'; schema: string; body: Record<string, unknown>; uploads: { images: UploadedFile[]; mask?: UploadedFile } };

function answer(ctx: RequestContext, problem: BodyProblem): Response {
  if (problem.unread) ctx.closeConnection = true;
  if (problem.discard) discardRest(ctx.request);
  return error(ctx, problem.kind, problem.vars);
}

let multipartLimits: { maxFiles: number; maxFieldBytes: number } | undefined;

/** Files and field sizes multipart bodies may have: the catalogue's largest image count plus a mask; 4 UTF-8 bytes per character of the longest string field. */
function limitsFromContract(): { maxFiles: number; maxFieldBytes: number } {
  if (!multipartLimits) {
    const maxImages = Math.max(1, ...allModels().flatMap((m) => [m.edits?.image.maxCount ?? 1, 1]));
    let longest = 1;
    for (const name of ['CreateImageEditRequest', 'CreateImageVariationRequest']) {
      const props = (deref<JsonObject>(spec().components.schemas[name]).properties ?? {}) as Record<string, JsonObject>;
      for (const p of Object.values(props)) if (typeof p.maxLength === 'number' && p.type === 'string' && !p.contentMediaType) longest = Math.max(longest, p.maxLength);
    }
    multipartLimits = { maxFiles: maxImages + 1, maxFieldBytes: longest * 4 };
  }
  return multipartLimits;
}

function utf8(bytes: Uint8Array): string {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)).toString('utf8');
}

export async function readRequest(state: MockState, ctx: RequestContext, operationId: string): Promise<ReadBody | Response> {
  const allowed = requestMediaTypes(operationId);
  const contentType = ctx.header('content-type');
  const media = mediaType(contentType);
  if (!allowed.includes(media)) return answer(ctx, unsupportedMediaType(contentType, allowed));
  const limit = state.options.maxBodyBytes;
  const schema = requestSchema(operationId, media);

  if (media === 'multipart/form-data') {
    if (declaredTooLarge(ctx.request, limit)) return answer(ctx, tooLarge(limit));
    let parsed;
    try {
      parsed = await parseMultipart(ctx.request, { maxBytes: limit, ...limitsFromContract() });
    } catch (e) {
      if (e instanceof MultipartError) {
        // parseMultipart has cancelled the body: the adapter drops the rest (see discardRest).
        return error(ctx, e.kind, { ...e.vars, ...(e.param !== null ? { param: e.param } : {}) });
      }
      throw e;
    }
    const textFile = textFileField(parsed.fields);
    if (textFile) return error(ctx, 'invalid_type', { param: textFile, expected: 'a file', actual: 'a string' });
    const { body } = coerceFormFields(parsed.fields, schema);
    const images = [...(parsed.files['image'] ?? []), ...(parsed.files['image[]'] ?? [])];
    // File parts stand in the schema's body as placeholders, so `required` and counts apply.
    for (const [field, files] of Object.entries(parsed.files)) {
      if (field === 'image[]') body[field] = files.map(() => 'binary');
      else body[field] = files.length === 1 ? 'binary' : files.map(() => 'binary');
    }
    const mask = parsed.files['mask']?.[0];
    return (ctx.body = { media, schema, body, uploads: { images, ...(mask ? { mask } : {}) } });
  }

  const bytes = await readBody(ctx.request, limit);
  if (isBodyProblem(bytes)) return answer(ctx, bytes);
  return (ctx.body = { media: 'application/json', schema, text: utf8(bytes) });
}
