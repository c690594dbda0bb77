import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultConfig, validateConfig } from '../../src/config/config-file.js';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { REPO_ROOT } from '../helpers/shared.js';

describe('config file validation', () => {
  it('accepts the default config (every option with its default)', () => {
    const d = defaultConfig();
    expect(validateConfig(JSON.parse(JSON.stringify(d)), 'x.json')).toEqual(d);
    expect(d.ingest['max-reject-rate']).toBe(0.05);
    expect(d.segment.bins).toBe(5);
  });

  it('names the key path and the allowed keys for an unknown key', () => {
    expect(() => validateConfig({ segment: { binz: 5 } }, 'c.json')).toThrowError(/c\.json: unknown key segment\.binz/);
    try {
      validateConfig({ segment: { binz: 5 } }, 'c.json');
    } catch (e) {
      expect((e as { hint?: string }).hint).toContain('bins');
    }
  });

  it('names the key path and allowed values for a bad value', () => {
    expect(() => validateConfig({ clean: { returns: 'maybe' } }, 'c.json')).toThrowError(/clean\.returns: bad value "maybe"/);
    try {
      validateConfig({ clean: { returns: 'maybe' } }, 'c.json');
    } catch (e) {
      expect((e as { hint?: string }).hint).toBe('allowed: net, drop, keep');
    }
    expect(() => validateConfig({ ingest: { 'max-reject-rate': 'lots' } }, 'c.json')).toThrowError(/ingest\.max-reject-rate/);
    expect(() => validateConfig({ segment: { 'as-of': '2026/01/01' } }, 'c.json')).toThrowError(/segment\.as-of/);
  });

  it('rejects unknown sections and ignores // comments', () => {
    expect(() => validateConfig({ segmnet: {} }, 'c.json')).toThrowError(/unknown section "segmnet"/);
    expect(validateConfig({ '//': 'comment', score: { '// why': 'weekly fits', unit: 'day' } }, 'c.json').score).toEqual({ unit: 'day' });
  });

  it('ships a JSON Schema identical to the one generated from the option table', () => {
    const shipped = JSON.parse(readFileSync(resolve(REPO_ROOT, 'schema/custkit.config.schema.json'), 'utf8'));
    expect(shipped).toEqual(configJsonSchema());
  });
});
