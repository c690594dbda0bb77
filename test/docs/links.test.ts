import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// Every relative link in README.md, CHANGELOG.md and docs/ resolves: the file exists and, for
// `file.md#anchor` or `#anchor`, the target has a heading with that GitHub anchor.
const root = resolve(import.meta.dirname, '../..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
}

/** The text without fenced code blocks and inline code spans, where `[x](y)` is not a link. */
const withoutCode = (md: string): string => md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');

/** Link targets of `[text](target)` and `[text](target "title")`, external ones (scheme:) left out. */
export function relativeLinks(md: string): string[] {
  return [...withoutCode(md).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

/** GitHub's anchors of a document's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingAnchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** What is wrong with each link of `file`: a missing file or a missing anchor. */
function brokenLinks(file: string): string[] {
  const md = readFileSync(file, 'utf8');
  return relativeLinks(md).flatMap((link) => {
    const [path, anchor] = link.split('#') as [string, string | undefined];
    const target = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
    const where = `${relative(root, file)}: (${link})`;
    if (!existsSync(target)) return [`${where}: no such file`];
    if (anchor === undefined || anchor === '') return [];
    if (statSync(target).isDirectory() || !target.endsWith('.md')) return [`${where}: anchor on a file that is not markdown`];
    return headingAnchors(readFileSync(target, 'utf8')).has(decodeURIComponent(anchor).toLowerCase()) ? [] : [`${where}: no heading with that anchor`];
  });
}

describe('documentation links', () => {
  it('relativeLinks and headingAnchors read links and anchors as GitHub does (planted examples)', () => {
    const md = '# Exit codes\n## The `run` command\n## Exit codes\n[a](docs/x.md#y) [b](#exit-codes) [c](https://e.org) `[d](no.md)`\n```\n[e](no.md)\n```\n[f](../README.md "title")\n';
    expect(relativeLinks(md)).toEqual(['docs/x.md#y', '#exit-codes', '../README.md']);
    expect([...headingAnchors(md)]).toEqual(['exit-codes', 'the-run-command', 'exit-codes-1']);
  });
  it('every relative link in README.md, CHANGELOG.md and docs/ resolves', () => {
    const files = [join(root, 'README.md'), join(root, 'CHANGELOG.md'), ...markdownFiles(join(root, 'docs'))];
    expect(files.flatMap(brokenLinks)).toEqual([]);
  });
  it('README.md stays a user\'s document: at most 25 KB, its sections in the order a reader needs them', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(25_000);
    const order = ['Quick start', 'The pipeline', 'Commands', 'Definitions', 'Exit codes', 'Environment variables', 'Config file', 'Performance'];
    const at = order.map((h) => readme.search(new RegExp(`^## ${h}$`, 'm')));
    expect(at.every((i) => i > 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });
});
