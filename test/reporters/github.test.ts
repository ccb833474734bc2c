// `--report github`: one workflow command per failure, escaped as the Actions toolkit does.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/conformance/redact.js';
import { escapeData, escapeProperty, renderGithub } from '../../src/conformance/reporters/github.js';
import { parseReport } from '../../src/cli/report-outputs.js';
import { reportOf, result } from './fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** What the Actions runner does with a command line: split at the first '::' after the properties and unescape. */
function parseCommand(line: string): { kind: string; props: Record<string, string>; message: string } {
  const m = line.match(/^::(\w+) ([^:]*)::(.*)$/);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const unData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const unProp = (s: string) => unData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));
  const props = Object.fromEntries(m[2]!.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), unProp(kv.slice(kv.indexOf('=') + 1))]));
  return { kind: m[1]!, props, message: unData(m[3]!) };
}

describe('escaping', () => {
  it('escapes %, CR and LF in messages and also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('auth.wrong-key [MUST, fidelity]: 50%\n')).toBe('auth.wrong-key [MUST%2C fidelity]%3A 50%25%0A');
  });
});

describe('renderGithub', () => {
  const report = reportOf([
    result({ id: 'negative.missing-prompt', status: 'fail', expected: '400, code "missing_required_parameter"', observed: '500: {"detail":"50% broken"}\r\nretry', curl: "curl -sS -X POST 'http://127.0.0.1:9/v1/images/generations' \\\n  -d '{}'" }),
    result({ id: 'headers.rate-limit', status: 'fail', severity: 'SHOULD', tier: 'fidelity', expected: 'x-ratelimit-* headers', observed: 'none' }),
    result({ id: 'success.schema', status: 'error', reason: 'check timed out after 10s, then: 3 of 4' }),
    result({ id: 'auth.wrong-key', status: 'pass', observed: '401' }),
    result({ id: 'media.expiry', status: 'skip', reason: 'budget', skipKind: 'budget' }),
  ]);
  const lines = renderGithub(report, new Redactor([])).trimEnd().split('\n');

  it('one ::error per MUST failure or error, ::warning per SHOULD failure, a ::notice with the totals; one line each', () => {
    expect(lines.map((l) => l.slice(0, l.indexOf(' ')))).toEqual(['::error', '::warning', '::error', '::notice']);
    const [fail, warning, error, notice] = lines.map(parseCommand);
    expect(fail!.props.title).toBe('negative.missing-prompt [MUST]');
    expect(fail!.message).toBe(
      [
        'A `prompt` is required',
        'expected: 400, code "missing_required_parameter"',
        'observed: 500: {"detail":"50% broken"}\r\nretry',
        'rule: spec: CreateImageRequest.required; facts §6.8',
        'reproduce:',
        "curl -sS -X POST 'http://127.0.0.1:9/v1/images/generations' \\\n  -d '{}'",
      ].join('\n'),
    );
    expect(warning!.props.title).toBe('headers.rate-limit [SHOULD, fidelity]');
    expect(error!.message).toContain('error: check timed out after 10s, then: 3 of 4');
    expect(notice!.message).toMatch(/1 passed, 2 failed, 1 errors, 1 skipped, 0 not applicable; 2 MUST check\(s\) failed$/);
  });

  it('an unreachable gateway is one ::error', () => {
    const text = renderGithub(reportOf([], { unreachable: 'cannot reach http://127.0.0.1:9/v1: ECONNREFUSED' }), new Redactor([]));
    expect(text).toBe('::error title=imagegen-contract%3A gateway unreachable::cannot reach http://127.0.0.1:9/v1: ECONNREFUSED\n');
  });

  it('never prints the key', () => {
    const key = 'sk-github-canary-123456';
    const text = renderGithub(reportOf([result({ id: 'auth.wrong-key', status: 'fail', expected: '401', observed: `echoed ${key}` })]), new Redactor([key]));
    expect(text).not.toContain(key);
  });
});

describe('--report github', () => {
  it('parses bare (stdout) and with a path; other formats need a path', () => {
    expect(parseReport('github')).toEqual({ format: 'github' });
    expect(parseReport('github=out/annotations.txt')).toEqual({ format: 'github', path: 'out/annotations.txt' });
    expect(() => parseReport('html')).toThrow(/--report must be json=PATH/);
    expect(() => parseReport('xml=a')).toThrow(/--report must be/);
  });

  it('conform writes the annotations to stdout for a failing gateway', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'conform', '--base-url', 'http://127.0.0.1:9/v1', '--report', 'github', '--only', 'negative.missing-prompt'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', IMAGEGEN_API_KEY: 'sk-github-test' } });
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^::error title=imagegen-contract%3A gateway unreachable::cannot reach /m);
  });
});
