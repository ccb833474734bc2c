// The HTTP benchmark's load generator: a closed loop of keep-alive connections, each sending one
// POST at a time and reading the answer by its Content-Length.
//
// Why not autocannon: a unique prompt per request there means a `setupRequest` hook, and autocannon
// then rebuilds the whole request from objects for every send. Measured on this 2-core machine
// against a bare node:http server: 19 us of client CPU per request with a fixed body, 34-38 us with
// a unique prompt. The client shares the cores with the server under test, so the cold rows were
// charged for their client's extra work and compared with a baseline driven by the cheaper one.
// Here every row costs the client the same: a unique prompt is a counter written in place into a
// copy of a prebuilt request.
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface LoadOptions {
  /** Base URL (`http://127.0.0.1:PORT/v1`); requests go to `${url}${path}`. */
  url: string;
  path: string;
  headers: Record<string, string>;
  body: { prompt: string } & Record<string, unknown>;
  /** A different prompt for every request (`<prompt> #<counter>`), so nothing is memoised server-side. */
  unique: boolean;
  connections: number;
  /** Stop sending after this many seconds... */
  durationSec?: number;
  /** ...or after this many requests. */
  amount?: number;
  /**
   * Offered load in requests per second over all connections (default: each connection sends its
   * next request as soon as the answer is in). Meant for loads well below what the server takes:
   * latency still counts from when a request went out (node's timers are too coarse to count
   * from when it was due), so it shows the server's answer times, not a queue it built up.
   */
  rate?: number;
}

export interface LoadStats {
  requests: number;
  rps: number;
  /** Latency percentiles in milliseconds (from every request's own timing). */
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Digits of the per-request counter, zero-padded so every request has the same Content-Length. */
const COUNTER_DIGITS = 12;
const HEADER_END = Buffer.from('\r\n\r\n');

interface Template {
  bytes: Buffer;
  /** Offset of the counter's digits in `bytes` (-1: a fixed request). */
  counterAt: number;
}

function template(options: LoadOptions, host: string, pathname: string): Template {
  const placeholder = '0'.repeat(COUNTER_DIGITS);
  const body = JSON.stringify(options.unique ? { ...options.body, prompt: `${options.body.prompt} #${placeholder}` } : options.body);
  const lines = [`POST ${pathname} HTTP/1.1`, `host: ${host}`, 'connection: keep-alive'];
  for (const [name, value] of Object.entries(options.headers)) lines.push(`${name}: ${value}`);
  lines.push(`content-length: ${Buffer.byteLength(body)}`);
  const bytes = Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`);
  const counterAt = options.unique ? bytes.lastIndexOf(`#${placeholder}`) + 1 : -1;
  return { bytes, counterAt };
}

/** Latencies in a growable typed array (sorted once at the end). */
class Latencies {
  private data = new Float64Array(1 << 16);
  length = 0;

  add(ms: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = ms;
  }

  percentile(p: number): number {
    if (this.length === 0) return 0;
    const sorted = this.data.subarray(0, this.length).sort();
    return sorted[Math.min(this.length - 1, Math.floor((p / 100) * this.length))]!;
  }
}

export function runLoad(options: LoadOptions): Promise<LoadStats> {
  const target = new URL(options.url + options.path);
  const port = Number(target.port || 80);
  const { bytes, counterAt } = template(options, target.host, target.pathname + target.search);
  const latencies = new Latencies();
  let counter = 0;
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  let stopping = false;
  let open = 0;
  const started = performance.now();
  let finished = started;

  const nextRequest = (): Buffer => {
    if (counterAt < 0) return bytes;
    const buf = Buffer.allocUnsafe(bytes.length);
    bytes.copy(buf);
    let n = counter++;
    for (let i = counterAt + COUNTER_DIGITS - 1; i >= counterAt; i--, n = Math.floor(n / 10)) buf[i] = 48 + (n % 10);
    return buf;
  };

  return new Promise((resolve) => {
    const done = () => {
      if (open > 0) return;
      const seconds = (finished - started) / 1000;
      resolve({ requests: latencies.length, rps: seconds > 0 ? latencies.length / seconds : 0, p50: latencies.percentile(50), p99: latencies.percentile(99), errors, non2xx });
    };
    const wantMore = () => !stopping && (options.amount === undefined || sent < options.amount);
    if (options.durationSec !== undefined) setTimeout(() => (stopping = true), options.durationSec * 1000);

    const connection = () => {
      open++;
      const socket: Socket = connect(port, target.hostname);
      socket.setNoDelay(true);
      let sentAt = 0;
      let head: Buffer | undefined; // header bytes gathered so far
      let bodyLeft = -1; // body bytes still to come (-1: reading the head)
      let status = 0;
      let closeAfter = false;
      let inFlight = false;

      // Paced connections send at fixed intervals, offset from one another.
      const interval = options.rate ? (1000 * options.connections) / options.rate : 0;
      let due = started + (interval * open) / options.connections;
      const send = () => {
        if (!wantMore()) return void socket.end();
        if (interval > 0) {
          const wait = due - performance.now();
          if (wait > 0.05) return void setTimeout(send, wait);
        }
        sent++;
        inFlight = true;
        sentAt = performance.now();
        due += interval;
        socket.write(nextRequest());
      };
      const complete = () => {
        const now = performance.now();
        latencies.add(now - sentAt);
        finished = now;
        inFlight = false;
        if (status < 200 || status > 299) non2xx++;
        head = undefined;
        bodyLeft = -1;
        if (closeAfter) {
          socket.destroy();
          if (wantMore()) connection();
          return;
        }
        send();
      };
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        let at = 0;
        while (at < chunk.length) {
          if (bodyLeft < 0) {
            head = head ? Buffer.concat([head, chunk.subarray(at)]) : chunk.subarray(at);
            const end = head.indexOf(HEADER_END);
            if (end < 0) return;
            const text = head.toString('latin1', 0, end).toLowerCase();
            status = Number(text.slice(9, 12));
            const length = /\r\ncontent-length: *(\d+)/.exec(text);
            if (!length) {
              // Every server benchmarked here answers with a Content-Length; anything else is a failure.
              errors++;
              inFlight = false;
              socket.destroy();
              if (wantMore()) connection();
              return;
            }
            closeAfter = /\r\nconnection: *close/.test(text);
            const consumed = end + HEADER_END.length - (head.length - (chunk.length - at));
            at += consumed;
            bodyLeft = Number(length[1]);
            head = undefined;
          }
          const take = Math.min(bodyLeft, chunk.length - at);
          bodyLeft -= take;
          at += take;
          if (bodyLeft === 0) complete();
        }
      });
      socket.on('error', () => {
        if (inFlight) errors++;
        inFlight = false;
      });
      socket.on('close', () => {
        open--;
        if (inFlight) {
          errors++;
          if (wantMore()) return connection();
        }
        done();
      });
    };
    for (let i = 0; i < options.connections; i++) connection();
  });
}
