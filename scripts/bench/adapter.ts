// The node:http adapter and the core without sockets: an IncomingMessage and a ServerResponse built
// in this process, the request body pushed in, the answer written to a response with no socket.
// What remains is the mock's own JavaScript per request (and node's http objects, which the bare
// handler measured beside it pays too), free of the kernel and load-generator costs that dominate
// the HTTP rows on a 2-core machine. CPU time of the process, median of rounds.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { createMockServer } from '../../src/mock/index.js';
import { nodeRequest } from '../../src/mock/node/request.js';
import { writeResponse } from '../../src/mock/node/write.js';
import type { InProcessResult } from './msw.js';

const socket = new Socket();

function incoming(body: Buffer): IncomingMessage {
  const req = new IncomingMessage(socket);
  req.method = 'POST';
  req.url = '/v1/images/generations';
  req.headers = { host: '127.0.0.1:8080', 'content-type': 'application/json', authorization: 'Bearer bench-key', 'content-length': String(body.length), connection: 'keep-alive' };
  req.rawHeaders = Object.entries(req.headers).flatMap(([k, v]) => [k, String(v)]);
  return req;
}

type Send = (prompt: string) => Promise<void>;

async function cpuPerRequest(name: string, send: Send, rounds = 5, perRound = 4000): Promise<InProcessResult> {
  for (let i = 0; i < perRound; i++) await send(`warm-up ${i}`);
  const costs: number[] = [];
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    const before = process.cpuUsage();
    for (let i = 0; i < perRound; i++) await send(`${name} #${n++}`);
    const used = process.cpuUsage(before);
    costs.push((used.user + used.system) / perRound);
  }
  costs.sort((a, b) => a - b);
  return { name, requests: rounds * perRound, usPerRequest: costs[Math.floor(rounds / 2)]! };
}

export async function benchAdapter(base: { url: object; b64: object }): Promise<InProcessResult[]> {
  const { core } = createMockServer({ seed: 'bench' });
  const viaAdapter = (shape: object): Send => async (prompt) => {
    const body = Buffer.from(JSON.stringify({ ...shape, prompt }));
    const req = incoming(body);
    const res = new ServerResponse(req);
    const answer = core.respond(nodeRequest(req, res, '127.0.0.1:8080'));
    req.push(body);
    req.push(null);
    writeResponse(await answer, res);
    if (res.statusCode !== 200) throw new Error(`node adapter answered ${res.statusCode}`);
  };
  const reply = Buffer.from(JSON.stringify({ created: 0, data: [{ url: `http://127.0.0.1:8080/v1/media/${'x'.repeat(160)}` }] }));
  const bare: Send = (prompt) => {
    const body = Buffer.from(JSON.stringify({ ...base.url, prompt }));
    const req = incoming(body);
    const res = new ServerResponse(req);
    const done = new Promise<void>((resolve) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': reply.length });
        res.end(reply);
        resolve();
      });
    });
    req.push(body);
    req.push(null);
    return done;
  };
  return [
    await cpuPerRequest('bare node:http handler, no socket', bare),
    await cpuPerRequest('node adapter + core, url, unique prompts, no socket', viaAdapter(base.url)),
    await cpuPerRequest('node adapter + core, b64_json 1024x1024, unique prompts, no socket', viaAdapter(base.b64), 5, 1000),
  ];
}
