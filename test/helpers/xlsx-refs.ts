/**
 * custkit writes a cell's reference only after an empty cell (ECMA-376 Part 1, 18.3.1.4: `r`
 * is optional, a cell without it is the one after the previous cell of its row; Excel and
 * LibreOffice read them so). exceljs's reader needs `r` on every cell, so tests that inspect
 * a workbook with exceljs read a copy whose cells get their positional reference here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { ZipWriter } from '../../src/io/zip-writer.js';
import { columnLetter } from '../../src/io/xlsx-writer.js';

/** The entries of a zip file by name, uncompressed (APPNOTE.TXT 4.3: from the central directory). */
export function unzipNamed(zip: Buffer): [string, Buffer][] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const out: [string, Buffer][] = [];
  for (let k = 0; k < count; k++) {
    const method = zip.readUInt16LE(at + 10), size = zip.readUInt32LE(at + 20), local = zip.readUInt32LE(at + 42);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    out.push([name, method === 8 ? inflateRawSync(data) : data]);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

/** A sheet's XML with `r` on every cell: a cell without one follows the previous cell of its row. */
export function addCellRefs(xml: string): string {
  let row = 0;
  let col = 0;
  return xml.replace(/<row\b[^>]*\br="(\d+)"[^>]*>|<c(?=[\s>/])([^>]*)>/g, (tag: string, r: string | undefined, attrs: string | undefined) => {
    if (r !== undefined) {
      row = Number(r);
      col = 0;
      return tag;
    }
    const ref = /\br="([A-Z]+)(\d+)"/.exec(attrs!);
    if (ref) {
      col = [...ref[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
      return tag;
    }
    col++;
    return `<c r="${columnLetter(col)}${row}"${attrs}>`;
  });
}

/** A copy of the workbook `xlsx` (beside it) whose cells all carry their reference; returns its path. */
export async function withCellRefs(xlsx: string): Promise<string> {
  const parts: Buffer[] = [];
  const zip = new ZipWriter((b) => void parts.push(Buffer.from(b)), new Date(0));
  for (const [name, data] of unzipNamed(readFileSync(xlsx))) {
    await zip.add(name, name.startsWith('xl/worksheets/') ? addCellRefs(data.toString('utf8')) : data);
  }
  await zip.finish();
  const copy = xlsx.replace(/\.xlsx$/, '') + '.refs.xlsx';
  writeFileSync(copy, Buffer.concat(parts));
  return copy;
}
