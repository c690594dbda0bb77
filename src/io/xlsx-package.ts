/**
 * The fixed parts of an XLSX package (ECMA-376 Part 1 SpreadsheetML, Part 2 OPC) around the
 * sheets custkit streams: content types, relationships, document properties, the workbook
 * (sheet list, filter ranges) and one style table shared by every sheet.
 */

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

export const xmlAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A sheet of the workbook as the package lists it. */
export interface PackageSheet {
  name: string;
  /** The header row's range, e.g. A2:AG2 (the sheet's filter). */
  filterRef: string;
}

export type NumFmtKind = 'text' | 'integer' | 'number' | 'money' | 'percent' | 'date';

/**
 * Cell style ids of styles.xml: one per column kind (its number format), and the header's
 * bold text. Number formats are declared as custom formats (ids 164…), so every reader sees
 * the same format code.
 */
export const STYLE: Record<NumFmtKind | 'header', number> = { number: 0, text: 1, integer: 2, money: 3, percent: 4, date: 5, header: 6 };
export const NUM_FMT: Record<NumFmtKind, string> = {
  text: '@',
  integer: '0',
  number: 'General',
  money: '#,##0.00',
  percent: '0.00%',
  date: 'yyyy-mm-dd',
};

export function stylesXml(): string {
  const kinds: NumFmtKind[] = ['text', 'integer', 'money', 'percent', 'date'];
  const fmts = kinds.map((k, i) => `<numFmt numFmtId="${164 + i}" formatCode="${xmlAttr(NUM_FMT[k])}"/>`).join('');
  const xf = (fmt: number, font = 0): string =>
    `<xf numFmtId="${fmt}" fontId="${font}" fillId="0" borderId="0" xfId="0"${fmt ? ' applyNumberFormat="1"' : ''}${font ? ' applyFont="1"' : ''}/>`;
  const font = (bold: boolean): string => `<font>${bold ? '<b/>' : ''}<sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>`;
  return (
    `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}"><numFmts count="${kinds.length}">${fmts}</numFmts>` +
    `<fonts count="2">${font(false)}${font(true)}</fonts>` +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    // Order: STYLE's ids (General, then the kinds' formats 164…168, then the bold header as text).
    `<cellXfs count="7">${xf(0)}${kinds.map((_, i) => xf(164 + i)).join('')}${xf(164, 1)}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0"/></styleSheet>'
  );
}

export function contentTypesXml(sheets: number): string {
  const ct = 'application/vnd.openxmlformats-officedocument';
  const over = (part: string, type: string): string => `<Override PartName="${part}" ContentType="${type}"/>`;
  let s = `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`;
  s += `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`;
  s += over('/xl/workbook.xml', `${ct}.spreadsheetml.sheet.main+xml`);
  for (let i = 1; i <= sheets; i++) s += over(`/xl/worksheets/sheet${i}.xml`, `${ct}.spreadsheetml.worksheet+xml`);
  s += over('/xl/styles.xml', `${ct}.spreadsheetml.styles+xml`);
  s += over('/docProps/core.xml', 'application/vnd.openxmlformats-package.core-properties+xml');
  s += over('/docProps/app.xml', `${ct}.extended-properties+xml`);
  return s + '</Types>';
}

export function rootRelsXml(): string {
  return (
    `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">` +
    `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
    `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
    `<Relationship Id="rId3" Type="${REL_NS}/extended-properties" Target="docProps/app.xml"/></Relationships>`
  );
}

export function appXml(): string {
  return `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>custkit</Application></Properties>`;
}

/** Document properties; `created` is fixed by the caller so the same data gives the same bytes. */
export function coreXml(created: Date): string {
  const t = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:creator>custkit</dc:creator><cp:lastModifiedBy>custkit</cp:lastModifiedBy>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${t}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${t}</dcterms:modified></cp:coreProperties>`
  );
}

/** The workbook: its sheets in order, each sheet's filter as the hidden name Excel keeps for it. */
export function workbookXml(sheets: PackageSheet[]): string {
  const list = sheets.map((s, i) => `<sheet name="${xmlAttr(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  const absolute = (ref: string): string => ref.replace(/([A-Z]+)(\d+)/g, '$$$1$$$2');
  const names = sheets
    .map((s, i) => `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${xmlAttr(`'${s.name.replace(/'/g, "''")}'!${absolute(s.filterRef)}`)}</definedName>`)
    .join('');
  return (
    `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView xWindow="0" yWindow="0" windowWidth="12000" windowHeight="24000"/></bookViews>` +
    `<sheets>${list}</sheets>${names ? `<definedNames>${names}</definedNames>` : ''}<calcPr calcId="171027"/></workbook>`
  );
}

export function workbookRelsXml(sheets: number): string {
  let s = `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">`;
  for (let i = 1; i <= sheets; i++) s += `<Relationship Id="rId${i}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i}.xml"/>`;
  return s + `<Relationship Id="rId${sheets + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`;
}

/** The start of a sheet's XML up to its first row: frozen rows above `headerRow`'s end, column widths and styles. */
export function sheetHead(opts: { headerRow: number; dimension: string; widths: number[]; styles: number[]; selected: boolean }): string {
  const top = `A${opts.headerRow + 1}`;
  const cols = opts.widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" style="${opts.styles[i] ?? 0}" customWidth="1"/>`).join('');
  return (
    `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><dimension ref="${opts.dimension}"/>` +
    `<sheetViews><sheetView workbookViewId="0"${opts.selected ? ' tabSelected="1"' : ''}><pane ySplit="${opts.headerRow}" topLeftCell="${top}" activePane="bottomLeft" state="frozen"/>` +
    `<selection pane="bottomLeft" activeCell="${top}" sqref="${top}"/></sheetView></sheetViews>` +
    `<sheetFormatPr defaultRowHeight="15"/>${cols ? `<cols>${cols}</cols>` : ''}<sheetData>`
  );
}

export function sheetTail(filterRef: string): string {
  return `</sheetData><autoFilter ref="${filterRef}"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
}
