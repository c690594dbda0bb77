/** Types of scripts/bench-doc.mjs (the bench's results.json → docs/performance.md). */
export declare const BEGIN: string;
export declare const END: string;
export interface BenchResults {
  date?: string; node?: string; cpus?: number; cpu?: string; loadavg?: number[]; generator?: string;
  results?: { size: string; step: string; inputMb?: number; seconds?: number; mbPerS?: number | null; rssMb?: number | null; ratioToDuckdb?: number | null; ok?: boolean; error?: string; notes?: string }[];
  memoryGuard?: { size: string; step: string; rssMb?: number; budgetMb?: number; bytesPerCustomer?: number; budget?: number; applies: boolean; failed: boolean }[];
}
export declare function performanceBlock(r: BenchResults): string;
export declare function replaceBlock(doc: string, block: string): string;
