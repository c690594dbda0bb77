/**
 * The rejects file: one CSV row per unusable input row — source file, line, reason code,
 * detail and the raw row (re-quoted) — so nothing is dropped silently (csvkit's csvclean
 * is the model). People open it in spreadsheets, so cells are formula-guarded, and personal
 * data in the raw row is masked unless `--pii show` (reject-masking.ts).
 */
import type { Reject } from '../core/types.js';
import { safeCsvLine } from './csv-format.js';
import { maskReject, type RejectPrivacy } from './reject-masking.js';
import { openSink, type TextSink } from './text-output.js';

export interface RejectsWriter {
  add(r: Reject): void;
  close(): Promise<void>;
  abort(): void;
}

export function openRejects(path: string | null | undefined, privacy: RejectPrivacy = { pii: 'mask' }): RejectsWriter {
  if (!path) return { add() {}, async close() {}, abort() {} };
  const sink: TextSink = openSink(path);
  sink.write('file,line,reason,detail,raw\n');
  return {
    add(r) {
      const m = maskReject(r, privacy);
      sink.write(safeCsvLine([m.file, String(m.line), m.reason, m.detail, m.raw]));
    },
    close: () => sink.close(),
    abort: () => sink.abort(),
  };
}
