// Every citation in the repository resolves inside it: each `facts §N` / `§N` and `ref 00N` token in
// the README, docs/, the spec and catalogue, and the check rules has an anchor in docs/sources.md, and
// the generated docs/checks.md links its rules' citations there.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { citationAnchors, linkCitations } from '../../src/conformance/citations.js';
import { CHECKS } from '../../src/conformance/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sources = readFileSync(join(root, 'docs/sources.md'), 'utf8');
const anchors = new Set([...sources.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]!));

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && ext.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

describe('citations', () => {
  it('docs/sources.md has an anchor per facts section and reference', () => {
    for (const a of ['ref-000', 'ref-001', 'ref-002', 'ref-003', 'ref-004', 'facts-1', 'facts-6-8', 'facts-5-21']) expect(anchors.has(a), a).toBe(true);
    expect(sources).toMatch(/## ScaiGrid\n/);
  });

  it('every citation token in README, docs/, openapi/ and the check rules has an anchor in docs/sources.md', () => {
    const texts: Array<[string, string]> = [
      ['README.md', readFileSync(join(root, 'README.md'), 'utf8')],
      ...[...files('docs', /\.md$/), ...files('openapi', /\.(ya?ml|json)$/)].map((f): [string, string] => [f, readFileSync(join(root, f), 'utf8')]),
      ...CHECKS.map((c): [string, string] => [`check ${c.id}`, `${c.title} ${c.rule}`]),
    ];
    const missing: string[] = [];
    let seen = 0;
    for (const [where, text] of texts)
      for (const anchor of citationAnchors(text)) {
        seen++;
        if (!anchors.has(anchor)) missing.push(`${where}: #${anchor}`);
      }
    expect(seen).toBeGreaterThan(100);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('links the tokens, not the words around them', () => {
    expect(linkCitations('spec: n maximum 10; facts §6.8, §4.1 (Portkey clamps); ref 000 envelope', 'sources.md')).toBe(
      'spec: n maximum 10; [facts §6.8](sources.md#facts-6-8), [§4.1](sources.md#facts-4-1) (Portkey clamps); [ref 000](sources.md#ref-000) envelope',
    );
  });

  it('docs/checks.md links every citation of the rules to docs/sources.md', () => {
    const checks = readFileSync(join(root, 'docs/checks.md'), 'utf8');
    const links = [...checks.matchAll(/\]\(sources\.md#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBe(CHECKS.reduce((n, c) => n + citationAnchors(c.rule).length, 0));
    expect(links.filter((a) => !anchors.has(a))).toEqual([]);
  });
});
