/** What the steps of run (run-pipeline.ts) hand each other: the setup, then what step 1 leaves to steps 2–5. */
import type { parseFailIf } from '../core/report/fail-if.js';
import type { AttributeCells } from '../core/aggregate/customer-attributes.js';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import type { Pseudonymizer } from '../core/privacy/pseudonym.js';
import type { CustomerTable } from '../core/report/customer-record.js';
import type { SegmentOptions } from '../core/segment/classify.js';
import type { FileDigest } from '../io/file-digest.js';
import type { RejectPrivacy } from '../io/reject-masking.js';
import type { RunFolder } from '../io/run-folder.js';
import type { ActionSettings } from './actions-stage.js';
import type { BacktestCollector, BacktestRun } from './backtest-stage.js';
import type { CleanRun } from './clean-stage.js';
import type { Retention } from './cohort-stage.js';
import type { FusedResult } from './fused-result.js';
import type { Parallelism } from './parallelism.js';
import type { PendingScore } from './pending-score.js';
import type { RunEngine } from './run-id.js';
import type { ScoreInput, ScoreOptions } from './score-stage.js';
import type { ClusterFitter } from './segment-stage.js';

/** What runPipeline hands steps 1–5: options, the staging folder, the run id to come. */
export interface RunSetup {
  folder: RunFolder;
  previous: CustomerTable | undefined;
  previousPath: string | null;
  runId: () => Promise<{ id: string; inputs: FileDigest[] }>;
  /** run --holdout: fed the cleaned transactions alongside the aggregation. */
  backtest: BacktestCollector | null;
  privacy: RejectPrivacy;
  parallelism: (threads: number | null) => Parallelism;
}

/** What steps 2–5 take over from step 1 (ingestToReport). */
export interface LaterSteps {
  t0: number;
  /** The staging folder, where the files go. */
  outDir: string;
  /** The folder users read (--out), for messages. */
  dir: string;
  /** Switches DIR to the staged files. */
  commit: () => void;
  runId: () => Promise<{ id: string; inputs: FileDigest[] }>;
  /** The input files as given (run.json names them). */
  files: string[];
  ing: FusedResult['ing'];
  clean: CleanRun;
  summaries: CustomerSummary[];
  asOf: number;
  refundOnly: number;
  conditions: ReturnType<typeof parseFailIf>;
  previous: CustomerTable | undefined;
  previousPath: string | null;
  segOpts: SegmentOptions;
  scoreOpts: ScoreOptions;
  scoreInput: ScoreInput | null;
  scoring: PendingScore | null;
  /** Whether k-means is fitted on a thread of its own. */
  kmeansThread: boolean;
  /** Fits k-means elsewhere (with kmeansThread). */
  fitClusters: ClusterFitter;
  /** The customer workbook's thread (Parallelism.workbookThread). */
  parallel: Parallelism;
  /** The kept attributes, in summary order (null: none kept). */
  attributes: AttributeCells | null;
  /** --by: attributes to break the report down by. */
  by: string[];
  actionSettings: ActionSettings;
  /** --exclude's ids: never in the action list (clean removed their rows already). */
  exclude: ReadonlySet<string>;
  /** run --holdout: the backtest whose choices the scoring used. */
  bt: BacktestRun | null;
  /** Cohorts and key indicators (--cohorts, default month), null when off or not computed. */
  retention: Retention | null;
  pseudonyms: Pseudonymizer | null;
  /** Which engine's results these are (run.json). */
  engine: RunEngine;
}
