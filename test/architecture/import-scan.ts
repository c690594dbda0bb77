/**
 * Reads a TypeScript file's module specifiers and its `process.env` reads without a parser
 * (the installed TypeScript has no JavaScript API): comments are blanked and the insides of
 * string, template and regex literals masked first, so text in a comment, a help string or
 * a regex never counts as code. Offsets are kept, so every finding has its line.
 */

export interface ImportUse {
  specifier: string;
  line: number;
}

export interface FileScan {
  /** Static imports, `export … from`, side-effect imports, `import()` and `require()`. */
  imports: ImportUse[];
  /** Lines that read `process.env` (or `process['env']`). */
  envReads: number[];
}

/** Characters after which a `/` starts a regex literal rather than a division. */
const BEFORE_REGEX = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const KEYWORDS_BEFORE_REGEX = /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|void|yield|await|throw|delete|new)$/;

/**
 * `text` with comments turned to spaces and the insides of literals to '_' (quotes, line
 * breaks and `${…}` code inside templates kept), the same length as `text`.
 */
export function maskSource(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number, fill: string): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = fill;
  };
  // Open template literals whose `${` we are inside: the brace depth at which each resumes.
  const templates: number[] = [];
  let depth = 0;
  let i = 0;
  const n = text.length;
  const prevSignificant = (): string => {
    let k = i - 1;
    while (k >= 0 && /\s/.test(out[k]!)) k--;
    return k < 0 ? '' : out[k]!;
  };
  const readTemplate = (): void => {
    // i is just after a backtick or a closing `}` of a substitution.
    const start = i;
    while (i < n) {
      const c = text[i]!;
      if (c === '\\') i += 2;
      else if (c === '`') {
        blank(start, i, '_');
        i++;
        return;
      } else if (c === '$' && text[i + 1] === '{') {
        blank(start, i, '_');
        templates.push(depth);
        depth++;
        i += 2;
        return;
      } else i++;
    }
    blank(start, n, '_');
  };
  while (i < n) {
    const c = text[i]!;
    const d = text[i + 1];
    if (c === '/' && d === '/') {
      const e = text.indexOf('\n', i);
      const end = e < 0 ? n : e;
      blank(i, end, ' ');
      i = end;
    } else if (c === '/' && d === '*') {
      const e = text.indexOf('*/', i + 2);
      const end = e < 0 ? n : e + 2;
      blank(i, end, ' ');
      i = end;
    } else if (c === '"' || c === "'") {
      const start = ++i;
      while (i < n && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      blank(start, i, '_');
      i++;
    } else if (c === '`') {
      i++;
      readTemplate();
    } else if (c === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      depth--;
      i++;
      if (templates.length && templates[templates.length - 1] === depth) {
        templates.pop();
        readTemplate();
      }
    } else if (c === '/' && (BEFORE_REGEX.has(prevSignificant()) || KEYWORDS_BEFORE_REGEX.test(out.slice(Math.max(0, i - 12), i).join('').trimEnd()))) {
      const start = ++i;
      let inClass = false;
      while (i < n && text[i] !== '\n' && (inClass || text[i] !== '/')) {
        if (text[i] === '\\') i++;
        else if (text[i] === '[') inClass = true;
        else if (text[i] === ']') inClass = false;
        i++;
      }
      blank(start, i, '_');
      i++;
    } else i++;
  }
  return out.join('');
}

const lineAt = (text: string, offset: number): number => {
  let line = 1;
  for (let k = 0; k < offset; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
};

/** Where a specifier's quote is in the masked text: import/export … from, import '…', import(…), require(…). */
const SPECIFIER_PATTERNS = [
  /\b(?:import|export)\b[^;'"`]*?\bfrom\s*(['"])/g,
  /\bimport\s*(['"])/g,
  /\bimport\s*\(\s*(['"`])/g,
  /\brequire\s*\(\s*(['"`])/g,
];
const ENV_READ = /\bprocess\s*(?:\?\.|\.)\s*env\b|\bprocess\s*(?:\?\.)?\[\s*(['"`])___\1\s*\]/g;

export function scanSource(text: string): FileScan {
  const masked = maskSource(text);
  const imports: ImportUse[] = [];
  const seen = new Set<number>();
  for (const re of SPECIFIER_PATTERNS) {
    for (const m of masked.matchAll(re)) {
      const quote = m.index! + m[0].length - 1;
      if (seen.has(quote)) continue;
      seen.add(quote);
      const end = text.indexOf(m[1]!, quote + 1);
      imports.push({ specifier: text.slice(quote + 1, end), line: lineAt(text, quote) });
    }
  }
  imports.sort((a, b) => a.line - b.line);
  const envReads: number[] = [];
  for (const m of masked.matchAll(ENV_READ)) {
    // process['env']: the masked key is three '_'; check that the original says env.
    if (m[1] !== undefined && !/\[\s*['"`]env['"`]\s*\]/.test(text.slice(m.index!, m.index! + m[0].length))) continue;
    envReads.push(lineAt(text, m.index!));
  }
  return { imports, envReads };
}
