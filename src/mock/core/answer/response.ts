// The Response every answer of the core is: a Fetch API `Response` in shape and prototype, built
// lazily. Its status, flat header list and body (text, bytes or a ReadableStream) are plain
// fields, so the node:http adapter writes them straight to the socket; any other use (headers,
// text(), body, clone(), ...) turns it into a real undici Response first. Building a real one
// costs about as much as the rest of a cold answer, and most answers never need one (Hono's node
// adapter does the same).

export type AnswerBody = string | Uint8Array | ReadableStream<Uint8Array> | null;

/** What an adapter reads instead of the Response (see writeResponse in node/). */
export interface AnswerFields {
  status: number;
  /** Flat name/value pairs, as node's writeHead takes them. */
  headers: string[];
  body: AnswerBody;
}

const FIELDS = Symbol.for('imagegen-contract.answer-fields');
const REAL = Symbol('imagegen-contract.real-response');

interface Lazy {
  [FIELDS]: AnswerFields;
  [REAL]?: Response;
}

function pairs(flat: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

function real(lazy: Lazy): Response {
  let r = lazy[REAL];
  if (!r) {
    const { status, headers, body } = lazy[FIELDS];
    r = new Response(body as BodyInit | null, { status, headers: pairs(headers) });
    lazy[REAL] = r;
  }
  return r;
}

/** A lazy Response (`instanceof Response` holds). */
export function answer(status: number, headers: string[], body: AnswerBody): Response {
  const lazy = Object.create(LazyPrototype) as Lazy;
  lazy[FIELDS] = { status, headers, body };
  return lazy as unknown as Response;
}

/** The fields of a lazy answer that no one has turned into a real Response; undefined otherwise. */
export function answerFields(response: Response): AnswerFields | undefined {
  const lazy = response as unknown as Lazy;
  return lazy[FIELDS] !== undefined && lazy[REAL] === undefined ? lazy[FIELDS] : undefined;
}

/** A real undici Response (what code outside this package should be handed). */
export function realResponse(response: Response): Response {
  return (response as unknown as Lazy)[FIELDS] !== undefined ? real(response as unknown as Lazy) : response;
}

// Every member of Response.prototype, forwarded to the real Response (status and ok are answered
// from the fields).
const LazyPrototype: object = Object.create(Response.prototype, {
  status: { get(this: Lazy) { return this[FIELDS].status; } },
  ok: { get(this: Lazy) { const s = this[FIELDS].status; return s >= 200 && s < 300; } },
});
for (const name of Object.getOwnPropertyNames(Response.prototype)) {
  if (name === 'constructor' || name === 'status' || name === 'ok') continue;
  const d = Object.getOwnPropertyDescriptor(Response.prototype, name)!;
  if (d.get) Object.defineProperty(LazyPrototype, name, { get(this: Lazy) { return Reflect.get(real(this), name); } });
  else if (typeof d.value === 'function') {
    const method = d.value as (...args: unknown[]) => unknown;
    Object.defineProperty(LazyPrototype, name, { value(this: Lazy, ...args: unknown[]) { return method.apply(real(this), args); } });
  }
}
