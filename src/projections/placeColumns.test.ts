import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CardRegisterRow, cardRegisterToCsv } from './cardRegister.js';
import type { CaseListRow } from './caseList.js';
import { caseListToCsv } from './caseListCsv.js';
import { csvField, type PlaceOfRow } from './csv.js';

/** RFC 4180 records back into fields (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      fields.push(field);
      records.push(fields);
      fields = [];
      field = '';
      i++;
    } else field += c;
  }
  return records;
}

/** The written cells of one record, by header. */
function cellsByHeader(csv: string): { header: string[]; cells: Map<string, string> } {
  const [header, row] = parseCsv(csv);
  return { header: header!, cells: new Map(header!.map((h, i) => [h, row![i]!])) };
}

/** The text a spreadsheet shows for a value (csvField's formula guard, unquoted). */
const shown = (value: string | undefined): string =>
  value === undefined ? '' : csvField(value).replace(/^"|"$/g, '').replace(/""/g, '"');

const PLACE_LABELS = ['中心编号', '中心', '部门编号', '部门', '事项编码', '事项名称'];

const text = fc.string({ unit: fc.constantFrom('a', '民', ',', '"', '\n', '\r', '=', '-', ' ', '1'), maxLength: 6 });
const placeArb: fc.Arbitrary<PlaceOfRow> = fc.record(
  {
    centerId: text,
    centerName: text,
    departmentId: text,
    departmentName: text,
    matterCode: text,
    matterName: text,
  },
  { requiredKeys: ['centerId', 'departmentId', 'matterCode'] },
);

function caseRow(place: PlaceOfRow): CaseListRow {
  return {
    caseId: 'C-1',
    ...place,
    kind: '承诺件',
    status: 'open',
    acceptedAt: '2025-04-01T09:00:00+08:00',
    deadlineDate: '2025-04-10',
    dueAt: '2025-04-10T17:00:00+08:00',
    completedAt: null,
    overdueDays: 0,
    alerts: [],
    calendarVersion: 'cn-2025@1',
    policyVersion: 'policy@1',
    provisional: false,
  };
}

function cardRow(place: PlaceOfRow): CardRegisterRow {
  return { caseId: 'C-1', rule: 'overdue', color: 'red', startedAt: '2025-04-11T00:00:00+08:00', ...place };
}

describe('the place columns of the case list and the card register', () => {
  it('both headers hold the same place labels in the same order, side by side', () => {
    for (const csv of [caseListToCsv([]), cardRegisterToCsv([])]) {
      const header = parseCsv(csv)[0]!;
      const start = header.indexOf(PLACE_LABELS[0]!);
      expect(header.slice(start, start + PLACE_LABELS.length)).toEqual(PLACE_LABELS);
    }
  });

  it('both writers put the same place cells under those labels, each the row’s value as written', () => {
    fc.assert(
      fc.property(placeArb, (place) => {
        const list = cellsByHeader(caseListToCsv([caseRow(place)]));
        const cards = cellsByHeader(cardRegisterToCsv([cardRow(place)]));
        const values = [
          place.centerId,
          place.centerName,
          place.departmentId,
          place.departmentName,
          place.matterCode,
          place.matterName,
        ];
        PLACE_LABELS.forEach((label, i) => {
          expect(list.cells.get(label)).toBe(shown(values[i]));
          expect(cards.cells.get(label)).toBe(list.cells.get(label));
        });
      }),
    );
  });
});
