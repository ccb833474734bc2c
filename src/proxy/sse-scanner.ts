// Finds the events of a Server-Sent Events stream as its chunks pass through the proxy: one pass over
// each chunk (line by line, CR, LF or CRLF), so a stream that never sends a blank line costs linear
// time, and a bounded amount of text per event (a longer event is skipped and reported once).
import { StringDecoder } from 'node:string_decoder';

export interface ScannedEvent {
  data: string;
}

export class SseScanner {
  private readonly decoder = new StringDecoder('utf8');
  private line = '';
  private data: string[] = [];
  private dataChars = 0;
  private afterCR = false;
  private oversized = false;
  /** The current line had text that was dropped (so it is not the blank line ending an event). */
  private droppedText = false;
  /** Events skipped because they were longer than the cap. */
  skipped = 0;

  constructor(private readonly maxEventChars: number) {}

  /** Characters held for the event being read (bounded by the cap, whatever the stream sends). */
  get bufferedChars(): number {
    return this.line.length + this.dataChars;
  }

  /** The data of the events the chunk completes. */
  feed(chunk: Buffer): ScannedEvent[] {
    const text = this.decoder.write(chunk);
    const out: ScannedEvent[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 10 && this.afterCR && start === i) {
        // The LF of a CRLF (possibly split across chunks): the line already ended at the CR.
        this.afterCR = false;
        start = i + 1;
        continue;
      }
      this.take(text.slice(start, i));
      this.endLine(out);
      this.afterCR = c === 13;
      start = i + 1;
    }
    if (start < text.length) this.take(text.slice(start));
    return out;
  }

  private take(piece: string): void {
    if (piece) this.droppedText ||= this.oversized;
    if (this.oversized) return;
    if (this.line.length + piece.length + this.dataChars > this.maxEventChars) {
      this.oversized = true;
      this.droppedText = true;
      this.line = '';
      this.data = [];
      this.dataChars = 0;
      return;
    }
    this.line += piece;
  }

  private endLine(out: ScannedEvent[]): void {
    const line = this.line;
    const blank = line === '' && !this.droppedText;
    this.line = '';
    this.droppedText = false;
    if (blank && !this.oversized) {
      if (this.data.length) out.push({ data: this.data.join('\n') });
      this.data = [];
      this.dataChars = 0;
      return;
    }
    if (this.oversized) {
      if (blank) {
        // The blank line ends the oversized event; scanning resumes with the next one.
        this.oversized = false;
        this.skipped++;
      }
      return;
    }
    if (line.startsWith('data')) {
      const colon = line.indexOf(':');
      if (colon === 4 || line === 'data') {
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        this.data.push(value);
        this.dataChars += value.length + 1;
      }
    }
  }
}
