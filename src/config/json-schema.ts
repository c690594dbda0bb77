/**
 * JSON Schema (draft 2020-12) of the config file, generated from the option table so the
 * two cannot drift; schema/custkit.config.schema.json is this output (a test compares).
 */
import type { OptionSpec } from './options.js';
import { specsOfSection } from './config-file.js';

/** minimum/maximum of a plain numeric option (text and list options are checked by custkit). */
const bounds = (s: OptionSpec): Record<string, number> => (s.range && !s.range.parse ? { minimum: s.range.min, maximum: s.range.max } : {});

function propertySchema(s: OptionSpec): Record<string, unknown> {
  const base: Record<string, unknown> = { description: s.description };
  if (s.default !== undefined) base.default = s.default;
  switch (s.type) {
    case 'boolean': return { ...base, type: ['boolean', 'null'] };
    case 'number': return { ...base, type: ['number', 'null'], ...bounds(s) };
    case 'integer': return { ...base, type: ['integer', 'null'], ...bounds(s) };
    case 'enum': return { ...base, enum: [...s.choices!, null] };
    case 'date': return { ...base, type: ['string', 'null'], pattern: s.name === 'as-of' ? '^(\\d{4}-\\d{2}-\\d{2}|today|latest)$' : '^\\d{4}-\\d{2}-\\d{2}$' };
    case 'list': return { ...base, oneOf: [{ type: 'string' }, { type: 'array', items: { type: ['string', 'number'] } }, { type: 'null' }] };
    case 'string': return { ...base, type: ['string', 'number', 'null'] };
  }
}

export function configJsonSchema(): Record<string, unknown> {
  const sections = ['ingest', 'clean', 'segment', 'score', 'report', 'run'] as const;
  const properties: Record<string, unknown> = { $schema: { type: 'string' } };
  for (const sec of sections) {
    const props: Record<string, unknown> = {};
    for (const s of specsOfSection(sec)) props[s.name] = propertySchema(s);
    properties[sec] = { type: 'object', additionalProperties: false, patternProperties: { '^//': {} }, properties: props };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/custkit/custkit/schema/custkit.config.schema.json',
    title: 'custkit configuration',
    type: 'object',
    additionalProperties: false,
    patternProperties: { '^//': {} },
    properties,
  };
}
