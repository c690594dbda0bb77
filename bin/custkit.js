#!/usr/bin/env node
// Thin shim: the CLI is compiled from src/ into dist/ by `npm install` (prepare) or `npm run build`.
// It runs the command in this process, never in a child: a job killed by its scheduler must
// leave nothing behind that goes on writing.
import v8 from 'node:v8';
import { installExitCleanup } from '../dist/cli/signals.js';

// Before any work: a signal then removes whatever the command has created (src/cli/signals.ts).
installExitCleanup();

// custkit streams millions of short-lived records; a larger young generation cuts GC time.
// Must run before the heap grows.
v8.setFlagsFromString('--max-semi-space-size=64');

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
