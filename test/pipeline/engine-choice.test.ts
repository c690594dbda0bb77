/** `--engine auto`: the rule of engine-choice.ts on given sizes and memory (no machine facts). */
import { describe, expect, it } from 'vitest';
import { AVAILABLE_SHARE, chooseEngine, JS_BASE_BYTES, JS_BYTES_PER_INPUT_BYTE } from '../../src/pipeline/engine-choice.js';

const GB = 1e9;

describe('chooseEngine', () => {
  it('takes the JavaScript engine for a plain CSV whose estimated peak fits in half the available memory', () => {
    const c = chooseEngine(['orders.csv'], 0.5 * GB, 8 * GB, true);
    expect(c.engine).toBe('js');
    expect(c.why).toBe('input 0.50 GB, the JavaScript engine\'s estimated peak 0.58 GB, 8.0 GB of memory available');
  });

  it('takes DuckDB once the estimate passes half the available memory, exactly at the boundary', () => {
    const avail = 4 * GB;
    const edge = (AVAILABLE_SHARE * avail - JS_BASE_BYTES) / JS_BYTES_PER_INPUT_BYTE; // 3.04 GB
    expect(chooseEngine(['a.csv'], Math.floor(edge), avail, true).engine).toBe('js');
    const over = chooseEngine(['a.csv'], Math.ceil(edge) + 1, avail, true);
    expect(over.engine).toBe('duckdb');
    expect(over.why).toMatch(/over half of it$/);
  });

  it('takes DuckDB for what only DuckDB reads, and JavaScript for standard input', () => {
    expect(chooseEngine(['a.csv.gz'], 1, 8 * GB, true)).toEqual({ engine: 'duckdb', why: 'a.csv.gz is compressed, which only DuckDB reads' });
    expect(chooseEngine(['a.parquet'], 1, 8 * GB, true)).toEqual({ engine: 'duckdb', why: 'a.parquet is Parquet, which DuckDB reads as it is stored' });
    expect(chooseEngine(['a.csv', 'b.csv'], 2, 8 * GB, false)).toEqual({ engine: 'duckdb', why: '2 files, which only DuckDB reads as one stream' });
    expect(chooseEngine(['a.csv', 'b.csv'], 2, 8 * GB, true).engine).toBe('js');
    expect(chooseEngine(['-'], 0, 0, true)).toEqual({ engine: 'js', why: 'standard input' });
  });
});
