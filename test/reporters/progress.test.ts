// The console's live line: `[n/N]` and an ETA from the plan, on a TTY only.
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/conformance/redact.js';
import { ConsoleReporter } from '../../src/conformance/reporters/console.js';
import { formatDuration, RunProgress } from '../../src/conformance/reporters/progress.js';
import { reportOf, result } from './fixtures.js';

describe('RunProgress', () => {
  it('counts, and before any image says how many are to come instead of guessing their time', () => {
    let now = 0;
    const p = new RunProgress(10, 4, () => now);
    expect(p.label()).toBe('[1/10]');
    now = 1000;
    p.record(0);
    now = 2000;
    p.record(0);
    // 2 checks in 2 s: 8 left ~ 8 s, plus 4 images of unknown cost.
    expect(p.label()).toBe('[3/10] ETA 8s + 4 image(s)');
  });

  it('once images are made, the time per image times the images still planned', () => {
    let now = 0;
    const p = new RunProgress(10, 4, () => now);
    now = 1000;
    p.record(0); // free checks until t=1 s
    now = 11_000;
    p.record(1); // 1 image took 10 s
    expect(p.label()).toBe('[3/10] ETA 30s');
    now = 15_000; // counts down between results
    expect(p.label()).toBe('[3/10] ETA 26s');
    now = 41_000;
    p.record(4);
    // All images made: the rest at the free checks' pace (1 s each... 7 left).
    expect(p.label()).toMatch(/^\[4\/10\] ETA \d+s$/);
  });

  it('formats durations', () => {
    expect([formatDuration(400), formatDuration(59_400), formatDuration(61_000), formatDuration(3_725_000)]).toEqual(['0s', '59s', '1m01s', '1h02m']);
  });
});

describe('ConsoleReporter live line', () => {
  function drive(tty: boolean): string {
    let out = '';
    const reporter = new ConsoleReporter({ write: (s: string) => (out += s), isTTY: tty, columns: 120 }, new Redactor([]), { tty, color: false });
    const results = [result({ id: 'negative.a', status: 'pass', observed: '400' }), result({ id: 'negative.b', status: 'fail', expected: '400', observed: '500' })];
    reporter.onEvent({ type: 'plan', plan: { images: 0, usd: 0, unknownPriceImages: 0, maxImages: 6, lines: [] }, checks: results.length });
    for (const r of results) {
      reporter.onEvent({ type: 'start', key: r.key, title: r.title });
      reporter.onEvent({ type: 'result', result: r, imagesMade: 0 });
    }
    reporter.finish(reportOf(results));
    return out;
  }

  it('on a TTY shows [n/N] and the ETA, then clears the line before each result', () => {
    const out = drive(true);
    expect(out).toContain('[1/2]  negative.a  A `prompt` is required');
    expect(out).toMatch(/\[2\/2\] ETA \d+s {2}negative\.b/);
    expect(out).toMatch(/\r\x1b\[2KPASS {2}negative\.a/);
  });

  it('not on a pipe: result lines only', () => {
    const out = drive(false);
    expect(out).not.toContain('[1/2]');
    expect(out).not.toContain('\x1b');
    expect(out).toMatch(/^No images will be made.*\nPASS {2}negative\.a {2}400\nFAIL {2}negative\.b/);
  });
});
