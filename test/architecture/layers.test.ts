/**
 * Imports point one way (docs/design/layers.md):
 *   cli → parallel → pipeline → {engine, render} → {config, io, gen} → core
 * with src/errors.ts importable from every layer. Only cli/ (and parallel/policy.ts, the
 * policy table) reads process.env; only parallel/ uses worker_threads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { maskSource, scanSource } from './import-scan.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * Folder of src/ → the other folders its files may import. A folder may import itself and
 * src/errors.ts; src/errors.ts imports nothing of custkit.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  cli: ['parallel', 'pipeline', 'engine', 'render', 'config', 'io', 'gen', 'core'],
  parallel: ['pipeline', 'engine', 'render', 'config', 'io', 'gen', 'core'],
  pipeline: ['engine', 'render', 'config', 'io', 'gen', 'core'],
  engine: ['config', 'io', 'gen', 'core'],
  render: ['config', 'io', 'gen', 'core'],
  // The option table reads its config file through io.
  config: ['io', 'core'],
  io: ['core'],
  gen: ['core'],
  core: [],
  types: [],
};

/** Files that may read process.env besides src/cli/. */
const ENV_READERS = ['parallel/policy.ts'];

interface Violation {
  rule: 'layer' | 'env' | 'worker_threads';
  /** "src/core/x.ts:3: …", the whole message. */
  text: string;
}

/** The folder a src-relative path belongs to ('' for a file at the top, like errors.ts). */
const folderOf = (path: string): string => (path.includes('/') ? path.slice(0, path.indexOf('/')) : '');

/** The rule `path` (relative to src/, posix) breaks with its source `text`, if any. */
function violationsOf(path: string, text: string): Violation[] {
  const out: Violation[] = [];
  const { imports, envReads } = scanSource(text);
  const from = folderOf(path);
  for (const { specifier, line } of imports) {
    const where = `src/${path}:${line}`;
    if (specifier === 'worker_threads' || specifier === 'node:worker_threads') {
      if (from !== 'parallel') out.push({ rule: 'worker_threads', text: `${where}: imports ${specifier}: only src/parallel/ may use worker threads` });
      continue;
    }
    if (!specifier.startsWith('.')) continue;
    const target = posix.normalize(posix.join(posix.dirname(path), specifier));
    if (target.startsWith('../')) continue; // outside src/ (package.json, fixtures): not a layer
    const to = folderOf(target);
    if (path === 'errors.ts') {
      out.push({ rule: 'layer', text: `${where}: imports ${specifier}: src/errors.ts must import nothing of custkit (every layer imports it)` });
      continue;
    }
    if (to === '' && target === 'errors.js') continue;
    if (to === from) continue;
    const allowed = MAY_IMPORT[from];
    if (allowed === undefined) {
      out.push({ rule: 'layer', text: `${where}: src/${from || path} is in no layer: add it to MAY_IMPORT and docs/design/layers.md` });
    } else if (!allowed.includes(to)) {
      out.push({ rule: 'layer', text: `${where}: imports ${specifier}: ${from}/ may import only ${[from, ...allowed].join(', ')} and errors.ts, not ${to || target}` });
    }
  }
  if (from !== 'cli' && !ENV_READERS.includes(path)) {
    for (const line of envReads) out.push({ rule: 'env', text: `src/${path}:${line}: reads process.env: only src/cli/ (and ${ENV_READERS.join(', ')}) may; hand the value in` });
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const FILES = sourceFiles(SRC).map((abs) => ({ path: relative(SRC, abs).split('\\').join('/'), text: readFileSync(abs, 'utf8') }));

describe('layers: imports point one way', () => {
  it('no import points up the chain, and engine and render do not import each other', () => {
    const bad = FILES.flatMap((f) => violationsOf(f.path, f.text)).filter((v) => v.rule === 'layer');
    expect(bad.map((v) => v.text)).toEqual([]);
  });

  it('process.env is read only in src/cli/ and the policy table', () => {
    const bad = FILES.flatMap((f) => violationsOf(f.path, f.text).filter((v) => v.rule === 'env'));
    expect(bad.map((v) => v.text)).toEqual([]);
  });

  it('worker_threads is used only in src/parallel/', () => {
    const bad = FILES.flatMap((f) => violationsOf(f.path, f.text).filter((v) => v.rule === 'worker_threads'));
    expect(bad.map((v) => v.text)).toEqual([]);
  });

  it('the scanner sees every import line of src/ (a check on the scanner itself)', () => {
    for (const f of FILES) {
      const found = new Set(scanSource(f.text).imports.map((u) => u.line));
      const lines = f.text.split('\n');
      lines.forEach((l, i) => {
        // A line starting an import or re-export declaration; its specifier is on it or a later line.
        if (!/^(import|export)\b[^=(]*\bfrom\s*['"]|^import\s*['"]/.test(l) && !/^(import|export)\s+(type\s+)?\{\s*$/.test(l)) return;
        let k = i;
        while (k < lines.length && !/['"][^'"]+['"];?\s*$/.test(lines[k]!)) k++;
        expect(found.has(k + 1), `src/${f.path}:${i + 1} not seen`).toBe(true);
      });
    }
    expect(FILES.length).toBeGreaterThan(100);
  });
});

describe('the layer scanner catches what it should (planted sources)', () => {
  const PLANTED = [
    "import { main } from '../../cli/main.js';",
    "export { gen } from '../../gen/simulate.js';",
    'const m = await import("../../pipeline/run-pipeline.js");',
    "import { Worker } from 'node:worker_threads';",
    'const t = process.env.CUSTKIT_TODAY;',
    "const u = process['env'];",
    "import { dataError } from '../../errors.js';",
    "import { day } from '../time/day.js';",
  ].join('\n');

  it('reports an upward import with the file, the import and the rule', () => {
    const v = violationsOf('core/score/planted.ts', PLANTED).map((x) => x.text);
    expect(v).toEqual([
      'src/core/score/planted.ts:1: imports ../../cli/main.js: core/ may import only core and errors.ts, not cli',
      'src/core/score/planted.ts:2: imports ../../gen/simulate.js: core/ may import only core and errors.ts, not gen',
      'src/core/score/planted.ts:3: imports ../../pipeline/run-pipeline.js: core/ may import only core and errors.ts, not pipeline',
      'src/core/score/planted.ts:4: imports node:worker_threads: only src/parallel/ may use worker threads',
      'src/core/score/planted.ts:5: reads process.env: only src/cli/ (and parallel/policy.ts) may; hand the value in',
      'src/core/score/planted.ts:6: reads process.env: only src/cli/ (and parallel/policy.ts) may; hand the value in',
    ]);
  });

  it('lets cli/ read the environment and import everything, and parallel/ use worker threads', () => {
    expect(violationsOf('cli/planted.ts', "import { x } from '../pipeline/a.js';\nconst e = process.env;")).toEqual([]);
    expect(violationsOf('parallel/planted.ts', "import { Worker } from 'node:worker_threads';\nimport { s } from '../pipeline/a.js';")).toEqual([]);
    expect(violationsOf('parallel/policy.ts', 'const e = process.env.CUSTKIT_THREADS;')).toEqual([]);
  });

  it('keeps engine and render apart, and errors.ts at the bottom', () => {
    expect(violationsOf('engine/x.ts', "import { r } from '../render/table.js';").map((v) => v.rule)).toEqual(['layer']);
    expect(violationsOf('render/x.ts', "import { e } from '../engine/duckdb-clean.js';").map((v) => v.rule)).toEqual(['layer']);
    expect(violationsOf('errors.ts', "import { q } from './core/terminal-text.js';").map((v) => v.rule)).toEqual(['layer']);
    expect(violationsOf('newfolder/x.ts', "import { q } from '../core/money.js';")[0]!.text).toContain('is in no layer');
  });

  it('ignores imports and process.env in comments, strings, templates and regexes', () => {
    const quiet = [
      "// import { main } from '../cli/main.js'; process.env.X",
      "/* export * from '../cli/main.js'; */",
      "const help = \"import { a } from '../cli/main.js' and process.env.HOME\";",
      'const t = `process.env.X ${1 + 2} import("../cli/main.js")`;',
      "const re = /from '..\\/cli\\/x.js'|process.env/;",
      "const ok = a / b; import { c } from '../core/money.js';",
    ].join('\n');
    expect(violationsOf('io/x.ts', quiet)).toEqual([]);
    expect(scanSource(quiet).imports).toEqual([{ specifier: '../core/money.js', line: 6 }]);
  });

  it('masks without moving text (line numbers stay right)', () => {
    const s = "a /* b\nc */ 'd\\'e' `f${'g'}h` // i\nj";
    const m = maskSource(s);
    expect(m.length).toBe(s.length);
    expect(m.split('\n').length).toBe(s.split('\n').length);
    expect(m).toBe("a     \n     '____' `_${'_'}_`     \nj");
  });
});
