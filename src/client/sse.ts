// Server-sent events from a response body, per the WHATWG event-stream format: `field: value` lines,
// an event per blank line, `data` lines joined with "\n", `:` comments, CR/LF/CRLF line ends. Bytes
// are decoded as a UTF-8 stream, so a character or a line split across chunks is put back together.

export interface ServerSentEvent {
  /** The `event:` field; "message" when the event had none (as EventSource does). */
  event: string;
  data: string;
  id?: string;
}

export async function* parseServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  let sawField = false;

  const take = (): ServerSentEvent | undefined => {
    const out = sawField && data.length > 0 ? { event: event || 'message', data: data.join('\n'), ...(id !== undefined ? { id } : {}) } : undefined;
    event = '';
    data = [];
    sawField = false;
    return out;
  };

  const line = (text: string): ServerSentEvent | undefined => {
    if (text === '') return take();
    if (text.startsWith(':')) return undefined;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    sawField = true;
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) id = value;
    // `retry` and unknown fields are ignored.
    return undefined;
  };

  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        // A CR at the very end of the chunk may be the first half of CRLF: wait for more bytes.
        if (c === 13 && i === buffer.length - 1 && !done) break;
        const out = line(buffer.slice(start, i));
        if (c === 13 && buffer.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
        if (out) yield out;
      }
      buffer = buffer.slice(start);
      if (done) break;
    }
    // A last event without its closing blank line is still delivered (servers often omit it).
    if (buffer !== '') {
      const out = line(buffer);
      if (out) yield out;
    }
    const last = take();
    if (last) yield last;
  } finally {
    // Stops the download when the consumer leaves early (break, throw).
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
