import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv.js';

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, and leaves plain text alone', () => {
    expect(csvField('民政局')).toBe('民政局');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(0.9953)).toBe('0.9953');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField(-1)).toBe('-1');
  });

  /** The text of one written field, its RFC 4180 quotes undone. */
  const unquoted = (field: string): string => (field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field);
  const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'];

  it('law (OWASP CSV injection): a text cell reads back as written, with an apostrophe before exactly = + - @ TAB CR', () => {
    const text = fc.string({
      unit: fc.constantFrom(...FORMULA_STARTS, "'", ' ', 'a', '民', ',', '"', '\n'),
      maxLength: 6,
    });
    fc.assert(
      fc.property(text, (value) => {
        const risky = FORMULA_STARTS.some((c) => value.startsWith(c));
        expect(unquoted(csvField(value))).toBe(risky ? `'${value}` : value);
        expect(FORMULA_STARTS.some((c) => unquoted(csvField(value)).startsWith(c))).toBe(false);
      }),
    );
  });

  it('law: a number is written as the number, a negative one too (no apostrophe: it stays a number)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(csvField(n)).toBe(String(n));
      }),
    );
  });

  it('regression: every formula start is defused in a text cell, in a row beside negative numbers', () => {
    expect(csvField('+1+cmd')).toBe("'+1+cmd");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1+1')).toBe("'\t=1+1");
    expect(csvField('\r=1+1')).toBe('"\'\r=1+1"');
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(toCsv(['n', 's'], [[-3, '-3']])).toBe("n,s\r\n-3,'-3\r\n");
  });

  it('writes a header row and CRLF line ends', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x,y'],
          [null, 2],
        ],
      ),
    ).toBe('a,b\r\n1,"x,y"\r\n,2\r\n');
  });
});
