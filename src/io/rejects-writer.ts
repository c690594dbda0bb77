/**
 * The rejects file: one CSV row per unusable input row — source file, line, reason code,
 * detail and the raw row (re-quoted) — so nothing is dropped silently (csvkit's csvclean
 * is the model). People open it in spreadsheets, so cells are formula-guarded.
 */
import type { Reject } from '../core/types.js';
import { safeCsvLine } from './csv-format.js';
import { openSink, type TextSink } from './text-output.js';

export interface RejectsWriter {
  add(r: Reject): void;
  close(): Promise<void>;
  abort(): void;
}

export function openRejects(path: string | null | undefined): RejectsWriter {
  if (!path) return { add() {}, async close() {}, abort() {} };
  const sink: TextSink = openSink(path);
  sink.write('file,line,reason,detail,raw\n');
  return {
    add(r) {
      sink.write(safeCsvLine([r.file, String(r.line), r.reason, r.detail, r.raw]));
    },
    close: () => sink.close(),
    abort: () => sink.abort(),
  };
}
