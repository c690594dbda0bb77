#!/usr/bin/env node
// Thin shim: the CLI is compiled from src/ into dist/ by `npm install` (prepare) or `npm run build`.
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
