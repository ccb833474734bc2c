// A small, strict Server-Sent Events parser (WHATWG "event stream interpretation") that also says
// what was odd about the stream, for the streaming checks.

export interface SseEvent {
  event?: string;
  data: string;
  /** 1-based line where the event started. */
  line: number;
}

export interface SseParse {
  events: SseEvent[];
  /** Text after the last blank line that never formed a complete event. */
  unterminated?: string;
}

export function parseSse(text: string): SseParse {
  const lines = text.split(/\r\n|\r|\n/);
  const events: SseEvent[] = [];
  let event: string | undefined;
  let data: string[] = [];
  let start = 0;
  let pending = false;
  lines.forEach((line, i) => {
    if (line === '') {
      if (pending && data.length) events.push({ ...(event !== undefined ? { event } : {}), data: data.join('\n'), line: start + 1 });
      event = undefined;
      data = [];
      pending = false;
      return;
    }
    if (!pending) start = i;
    pending = true;
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  });
  const out: SseParse = { events };
  if (pending && data.length) out.unterminated = data.join('\n').slice(0, 200);
  return out;
}
