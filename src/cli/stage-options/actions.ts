/** run's action-list settings (--actions, --suppress) from the parsed flags, read before any work. */
import { readFileSync } from 'node:fs';
import { usageError } from '../../errors.js';
import type { SegmentOptions } from '../../core/segment/classify.js';
import { SEGMENT11, ZH8_NAMES } from '../../core/segment/rfm-segments.js';
import { defaultActionTable, validateActionTable } from '../../core/actions/action-table.js';
import { readExcludeList } from '../../pipeline/exclude-list.js';
import type { ActionSettings } from '../../pipeline/actions-stage.js';

/** The segment names of the map in use. */
function segmentNames(map: NonNullable<SegmentOptions['rfm']>['map']): readonly string[] {
  if (map === 'zh8') return ZH8_NAMES;
  if (map === undefined || map === '11') return SEGMENT11;
  return map.names;
}

/** --actions FILE (validated against the map's segments) or the default table; --suppress FILE. Read before any work. */
export function actionSettingsFrom(o: Record<string, unknown>, segOpts: SegmentOptions): ActionSettings {
  const suppress = o.suppress ? readExcludeList(String(o.suppress)).ids : new Set<string>();
  const only = new Set(segOpts.only ?? ['rfm']);
  if (!only.has('rfm')) {
    if (o.actions) throw usageError('--actions needs RFM segments', 'drop --only, or add rfm to it');
    return { table: null, suppress, why: 'no RFM segments (--only without rfm)' };
  }
  const map = segOpts.rfm?.map;
  if (o.actions) {
    const file = String(o.actions);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw usageError(`--actions ${file}: cannot read a JSON action table (${(e as Error).message})`, 'docs/commands.md, "Action lists", shows the format');
    }
    const t = validateActionTable(json, segmentNames(map));
    if ('error' in t) throw usageError(`--actions ${file}: ${t.error}`, 'docs/commands.md, "Action lists", shows the format');
    return { table: t, suppress };
  }
  if (map !== undefined && map !== '11' && map !== 'zh8') return { table: null, suppress, why: 'a custom segment map has no default action table: give --actions FILE' };
  return { table: defaultActionTable(map === 'zh8' ? 'zh8' : '11'), suppress };
}
