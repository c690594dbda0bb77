/** What run does with the fused step's aggregate before segmenting: pseudonyms, and the --by check. */
import { usageError } from '../errors.js';
import type { AttributeCells } from '../core/aggregate/customer-attributes.js';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import type { SummaryFacts } from '../core/aggregate/summary-facts.js';
import type { Pseudonymizer } from '../core/privacy/pseudonym.js';
import type { FusedResult } from './fused-result.js';
import { permutedAttributes, pseudonymizeFacts, pseudonymizeSummaries } from './pseudonymize-table.js';

/**
 * The aggregate with customer ids replaced by pseudonyms (re-sorted, kept attributes in the
 * new order), or as it is without --pseudonymize. Without amounts the aggregate is plain
 * summaries (summaries is [] otherwise).
 */
export function pseudonymizedAggregate(r: FusedResult, pseudonyms: Pseudonymizer | null): { facts: SummaryFacts | null; summaries: CustomerSummary[]; attributes: AttributeCells | null } {
  let { facts, attributes } = r;
  if (pseudonyms && facts) {
    const ps = pseudonymizeFacts(facts, pseudonyms);
    facts = ps.facts;
    if (attributes) attributes = permutedAttributes(attributes, ps.order);
    return { facts, summaries: [], attributes };
  }
  if (!r.summaries) return { facts, summaries: [], attributes };
  // Transactions without amounts: plain summaries (ingestCleanAggregateJs).
  if (pseudonyms && attributes) throw usageError('--pseudonymize with kept columns (--keep) on transactions without amounts is not supported', 'drop --keep, or run without --pseudonymize');
  return { facts, summaries: pseudonyms ? pseudonymizeSummaries(r.summaries, pseudonyms) : r.summaries, attributes };
}

/** --by names kept attributes: fails, naming the ones there are, when one is not. */
export function checkByAttributes(by: readonly string[], attributes: AttributeCells | null): void {
  const attrNames = attributes ? attributes.specs.map((s) => s.name) : [];
  const missingBy = by.find((b) => !attrNames.includes(b));
  if (missingBy !== undefined) {
    throw usageError(`--by ${missingBy}: no such customer attribute${attrNames.length ? ` (attributes: ${attrNames.join(', ')})` : ' (no columns were kept)'}`, 'keep the column with --keep COLUMN; --by names it as kept');
  }
}
