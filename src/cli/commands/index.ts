/** The command table: every subcommand, listed explicitly (no discovery magic). */
import type { CommandSpec } from '../command.js';
import { ingestCommand } from './ingest.js';
import { initCommand } from './init.js';
import { reportCommand } from './report.js';

export const COMMANDS: CommandSpec[] = [ingestCommand, initCommand, reportCommand];
