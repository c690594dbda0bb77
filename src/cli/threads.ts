/** The stages' threads for one command: the thread policy from --threads and the environment main() read (parallel/policy.ts). */
import { availableParallelism } from 'node:os';
import type { CommandContext } from './command.js';
import type { Parallelism } from '../pipeline/parallelism.js';
import { threadPolicy } from '../parallel/policy.js';
import { threaded } from '../parallel/threaded.js';

/** `threads`: --threads as given (null: not given). */
export function parallelismFor(ctx: CommandContext, threads: number | null): Parallelism {
  return threaded(threadPolicy(ctx.env ?? process.env, threads, availableParallelism()));
}
