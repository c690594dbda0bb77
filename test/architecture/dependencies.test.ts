import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Dependencies with reasons (issue #28): every runtime dependency is imported by the product,
// and the product imports no dev dependency (oracles such as ml-kmeans stay in the tests).
const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.ts$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** Package names a source text imports: `from 'x'`, `import('x')`, `require('x')`, subpaths cut to the package. */
export function importedPackages(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:\bfrom |\bimport\(|\brequire\(|^import )'([@\w][\w./@-]*)'/gm)) {
    const spec = m[1]!;
    if (spec.startsWith('.') || spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    out.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return out;
}

const productImports = new Set(sourceFiles(join(root, 'src')).flatMap((f) => [...importedPackages(readFileSync(f, 'utf8'))]));

describe('dependencies', () => {
  it('importedPackages finds static, dynamic and required imports and cuts subpaths (planted example)', () => {
    const t = "import { a } from 'csv-parse/sync';\nconst b = await import('ml-kmeans');\n// text from 'quoted prose' is no import\nimport '@duckdb/node-api';\nimport x from './local.js';\nimport { y } from 'node:fs';";
    expect([...importedPackages(t)].sort()).toEqual(['@duckdb/node-api', 'csv-parse', 'ml-kmeans']);
  });
  it('every runtime dependency is imported by src/', () => {
    expect(Object.keys(pkg.dependencies).filter((d) => !productImports.has(d))).toEqual([]);
  });
  it('src/ imports no dev dependency and nothing undeclared', () => {
    const declared = new Set(Object.keys(pkg.dependencies));
    expect([...productImports].filter((d) => !declared.has(d)).sort()).toEqual([]);
  });
});
