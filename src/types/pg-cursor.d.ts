/** Minimal declaration of pg-cursor@2 (it ships no types): what custkit uses of it. */
declare module 'pg-cursor' {
  import type { CustomTypesConfig, FieldDef, Submittable } from 'pg';

  interface CursorConfig {
    rowMode?: 'array';
    types?: CustomTypesConfig;
  }

  interface CursorResult {
    fields: FieldDef[];
  }

  class Cursor<Row = unknown[]> implements Submittable {
    constructor(text: string, values?: unknown[] | null, config?: CursorConfig);
    submit: Submittable['submit'];
    /** Reads up to `rows` rows; an empty array means the result is exhausted. */
    read(rows: number, cb: (err: Error | undefined, rows: Row[], result: CursorResult) => void): void;
    read(rows: number): Promise<Row[]>;
    close(cb: (err?: Error) => void): void;
    close(): Promise<void>;
  }

  export = Cursor;
}
