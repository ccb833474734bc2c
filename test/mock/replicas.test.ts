// Stateless replicas: image URLs are signed tokens, so any replica given the same --media-secret
// serves the URL another one issued (no shared state), and `mock --workers N` runs N replicas on
// one port with one secret.
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../src/images/index.js';
import { startMock } from '../../src/mock/index.js';
import { KEY, post } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('replicas sharing a media secret', () => {
  it('a URL issued by one replica downloads from another; a replica with another secret refuses it', async () => {
    const a = await startMock({ mediaSecret: 'shared secret', seed: 's' });
    const b = await startMock({ mediaSecret: 'shared secret', seed: 's' });
    const c = await startMock({ mediaSecret: 'another secret', seed: 's' });
    try {
      const made = await post(`${a.url}/images/generations`, { model: 'dall-e-2', prompt: 'one replica', size: '256x256' });
      expect(made.status, made.text).toBe(200);
      const url: string = made.json.data[0].url;
      expect(url.startsWith(`${a.url}/media/`)).toBe(true);
      const onB = await fetch(url.replace(a.origin, b.origin));
      expect(onB.status).toBe(200);
      const fromB = Buffer.from(await onB.arrayBuffer());
      expect(sniffImage(fromB)).toMatchObject({ format: 'png', width: 256, height: 256 });
      // The same picture as the issuing replica's: nothing about it was stored anywhere.
      expect(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(fromB)).toBe(true);
      expect((await fetch(url.replace(a.origin, c.origin))).status).toBe(404);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});

describe('mock --workers', () => {
  it('--workers 2 starts two replicas on one port that serve each other’s URLs, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'mock', '--port', '0', '--workers', '2', '--api-key', KEY], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const until = Date.now() + 30_000;
      let url: string | undefined;
      while (!(url = /listening on (http:\/\/\S+\/v1)\b/.exec(stdout)?.[1])) {
        if (Date.now() > until) throw new Error(`no URL printed: ${stdout} ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(stdout).toContain('2 workers');
      // Two worker processes (running the same command) under the primary.
      const children = execFileSync('ps', ['-o', 'args=', '--ppid', String(child.pid)], { encoding: 'utf8' }).trim().split('\n');
      expect(children.filter((c) => c.includes('main.ts mock'))).toHaveLength(2);
      // Fresh connections are spread over the workers (round robin): every URL downloads whichever serves it.
      for (let i = 0; i < 6; i++) {
        const made = await post(`${url}/images/generations`, { model: 'dall-e-2', prompt: `worker ${i}`, size: '256x256' }, { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', connection: 'close' });
        expect(made.status, made.text).toBe(200);
        const image = await fetch(made.json.data[0].url, { headers: { connection: 'close' } });
        expect(image.status).toBe(200);
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });
});

describe('mock --workers / --public-url usage', () => {
  it('refuses a bad worker count or public URL with one line and exit 2', async () => {
    for (const args of [['--workers', '0'], ['--public-url', 'ftp://mock.example.com/v1']]) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'mock', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
      expect(stderr).toMatch(/^imagegen-contract: --(workers|public-url) /);
    }
  });
});
