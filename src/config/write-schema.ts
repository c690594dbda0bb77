/** Writes schema/custkit.config.schema.json from the option table (run by `npm run schema`). */
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from './json-schema.js';

const path = process.argv[2] ?? 'schema/custkit.config.schema.json';
writeFileSync(path, JSON.stringify(configJsonSchema(), null, 2) + '\n');
console.error(`wrote ${path}`);
