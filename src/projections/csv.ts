/**
 * RFC 4180 CSV: CRLF line ends, a field is quoted when it holds a comma, a
 * quote, CR or LF (quotes doubled). Text that a spreadsheet would run as a
 * formula (leading = + - @ tab CR) gets a leading apostrophe; numbers are
 * written as they are. null / undefined is an empty field.
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Where a case was handled: its center, department and matter, each as id and name. */
export interface PlaceOfRow {
  readonly centerId: string;
  readonly centerName?: string;
  readonly departmentId: string;
  readonly departmentName?: string;
  readonly matterCode: string;
  readonly matterName?: string;
}

/**
 * The place columns of a case's CSV row (the case list and the card register),
 * in one order; `placeCells` writes a row's values in the same order. The
 * complaint list's CSV does not use them: its department is the one handling the
 * complaint (承办部门, possibly none) and a complaint has no matter.
 */
export const PLACE_HEADERS: readonly string[] = ['中心编号', '中心', '部门编号', '部门', '事项编码', '事项名称'];

export function placeCells(row: PlaceOfRow): CsvValue[] {
  return [row.centerId, row.centerName, row.departmentId, row.departmentName, row.matterCode, row.matterName];
}
