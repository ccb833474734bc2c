// The validation proxy: forwards every request to the upstream gateway unchanged and reports
// contract violations of each exchange (one line each, plus an `x-contract-violations` header on
// buffered answers, as Prism's `sl-violations`). It never alters a successful exchange.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request } from 'undici';
import { checkExchange, checkStreamEvent, findOperation, type Violation } from './violations.js';

export interface ProxyOptions {
  upstream: string;
  port?: number;
  host?: string;
  /** Largest request or buffered response body, in bytes. */
  maxBodyBytes?: number;
  timeoutMs?: number;
  onViolation?: (v: Violation & { method: string; path: string; status: number }) => void;
}

export interface RunningProxy {
  url: string;
  violations: Array<Violation & { method: string; path: string; status: number }>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host', 'content-length']);

async function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const upstream = new URL(options.upstream.replace(/\/+$/, ''));
  const basePath = upstream.pathname === '/' ? '' : upstream.pathname;
  const max = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const violations: RunningProxy['violations'] = [];
  const report = (v: Violation, method: string, path: string, status: number) => {
    const full = { ...v, method, path, status };
    violations.push(full);
    options.onViolation?.(full);
  };

  const server = createServer(async (req, res) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://proxy');
    const path = basePath && url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) || '/' : url.pathname;
    try {
      const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req, max);
      if (body === 'too-large') {
        res.setHeader('connection', 'close');
        return sendJson(res, 413, { error: { message: `The proxy buffers at most ${max} bytes of request body.`, type: 'invalid_request_error', param: null, code: 'request_too_large' } });
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const target = new URL(upstream.origin + url.pathname + url.search);
      const answer = await request(target, {
        method: method as 'GET',
        headers,
        body,
        headersTimeout: options.timeoutMs ?? 600_000,
        bodyTimeout: options.timeoutMs ?? 600_000,
      });
      const outHeaders: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) outHeaders[k] = v;
      const contentType = String(answer.headers['content-type'] ?? '');
      const exchange = { method, path, requestContentType: req.headers['content-type'], requestBody: body, status: answer.statusCode, responseHeaders: answer.headers };

      if (contentType.startsWith('text/event-stream')) {
        // Streamed through as it arrives; events are checked on the side.
        res.writeHead(answer.statusCode, outHeaders);
        for (const v of checkExchange({ ...exchange, responseBody: undefined })) report(v, method, path, answer.statusCode);
        const op = findOperation(method, path);
        let pending = '';
        for await (const chunk of answer.body) {
          res.write(chunk);
          pending += (chunk as Buffer).toString('utf8');
          let cut;
          while ((cut = pending.indexOf('\n\n')) >= 0) {
            const frame = pending.slice(0, cut);
            pending = pending.slice(cut + 2);
            const data = frame.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
            if (op && data) for (const v of checkStreamEvent(op, answer.statusCode, data)) report(v, method, path, answer.statusCode);
          }
        }
        return res.end();
      }
      if (!contentType.startsWith('application/json')) {
        // Images and anything else: passed through unbuffered.
        for (const v of checkExchange({ ...exchange, responseBody: undefined })) report(v, method, path, answer.statusCode);
        res.writeHead(answer.statusCode, outHeaders);
        for await (const chunk of answer.body) res.write(chunk);
        return res.end();
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of answer.body) {
        size += (chunk as Buffer).length;
        if (size > max) break;
        chunks.push(chunk as Buffer);
      }
      const responseBody = Buffer.concat(chunks);
      const found = checkExchange({ ...exchange, responseBody });
      for (const v of found) report(v, method, path, answer.statusCode);
      if (found.length) outHeaders['x-contract-violations'] = JSON.stringify(found.map((v) => `${v.rule}: ${v.message}`)).slice(0, 4000);
      outHeaders['content-length'] = String(responseBody.length);
      res.writeHead(answer.statusCode, outHeaders);
      res.end(responseBody);
    } catch (error) {
      if (res.headersSent) return res.destroy();
      sendJson(res, 502, { error: { message: `The proxy could not reach the upstream: ${(error as Error).message}`, type: 'server_error', param: null, code: 'bad_gateway' } });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as { port: number };
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}${basePath}`,
    violations,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
