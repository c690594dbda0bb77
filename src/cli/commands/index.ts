/** The command table: every subcommand, listed explicitly (no discovery magic). */
import type { CommandSpec } from '../command.js';
import { ingestCommand } from './ingest.js';
import { initCommand } from './init.js';
import { cleanCommand } from './clean.js';
import { reportCommand } from './report.js';
import { scoreCommand } from './score.js';
import { segmentCommand } from './segment.js';
import { selftestCommand } from './selftest.js';
import { runCommand } from './run.js';
import { sqlCommand } from './sql.js';

export const COMMANDS: CommandSpec[] = [ingestCommand, cleanCommand, initCommand, segmentCommand, scoreCommand, reportCommand, runCommand, sqlCommand, selftestCommand];
