/** What run's fused ingest → clean → aggregate step hands to the later stages, from either engine. */
import type { AttributeCells } from '../core/aggregate/customer-attributes.js';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import type { SummaryFacts } from '../core/aggregate/summary-facts.js';
import type { FileReport } from '../core/ingest/file-report.js';
import type { CleanRun } from './clean-stage.js';
import type { Retention } from './cohort-stage.js';

/** What ingest did: rows read, written and rejected by reason, per file. */
export interface IngestCounts {
  rowsRead: number;
  rowsOut: number;
  rejected: Record<string, number>;
  files: FileReport[];
  folded?: { ids: number; rows: number };
}

/** What the fused ingest → clean → aggregate step hands to the later stages. */
export interface FusedResult {
  ing: IngestCounts;
  clean: CleanRun;
  facts: SummaryFacts | null;
  asOf: number;
  refundOnly: number;
  bytes: number;
  attributes: AttributeCells | null;
  retention: Retention | null;
  /** Transactions without amounts: plain summaries, money absent (facts is then null). */
  summaries?: CustomerSummary[];
}
