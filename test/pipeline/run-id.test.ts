import { describe, expect, it } from 'vitest';
import { canonicalJson, runIdOf } from '../../src/pipeline/run-id.js';

describe('run id', () => {
  it('canonical JSON: sorted keys, Sets and Maps as sorted arrays, undefined left out', () => {
    expect(canonicalJson({ b: 1, a: [1, undefined], c: undefined, s: new Set(['y', 'x']), m: new Map([['k', 1]]) })).toBe('{"a":[1,null],"b":1,"m":[["k",1]],"s":["x","y"]}');
    expect(canonicalJson({ x: new Set(['b', 'a']) })).toBe(canonicalJson({ x: new Set(['a', 'b']) }));
  });
  it('the same parts give the same id; any change of input bytes, options or compared table another', () => {
    const parts = { version: 'custkit 0.1.0', inputs: [{ bytes: 3, sha256: 'ab' }], options: { a: 1, b: new Set(['x']) }, previous: null };
    const id = runIdOf(parts);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(runIdOf({ ...parts, options: { b: new Set(['x']), a: 1 } })).toBe(id);
    expect(runIdOf({ ...parts, inputs: [{ bytes: 3, sha256: 'ac' }] })).not.toBe(id);
    expect(runIdOf({ ...parts, options: { a: 2, b: new Set(['x']) } })).not.toBe(id);
    expect(runIdOf({ ...parts, previous: 'ff' })).not.toBe(id);
  });
});
