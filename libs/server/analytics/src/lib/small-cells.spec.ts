import { minCellPolicy } from './small-cells';

/*
 * The caller serves GM0001 alone (0) and GM0002 with an organisation whose setting is 20; GM0003 is
 * another organisation's at its default (10).
 */
const others = new Map([
  ['GM0001', 0],
  ['GM0002', 20],
  ['GM0003', 10],
]);
const row = (municipality?: string) => (municipality ? { municipality } : null);

describe('minCellPolicy', () => {
  it("applies the caller's own minCell to its own rows only", () => {
    const { minCellFor } = minCellPolicy(5, others, ['GM0001', 'GM0002', 'GM0003']);
    expect(minCellFor(row('GM0001'))).toBe(5); // own: as asked
    expect(minCellFor(row('GM0003'))).toBe(10); // another's: never below 10
    expect(minCellFor(row('GM0002'))).toBe(20); // shared: the other organisation's stricter 20
    expect(minCellFor(row('GM9999'))).toBe(10); // unknown: treated as another's
  });

  it('gives the total the strictest setting of what it covers, and asks more only of others', () => {
    expect(minCellPolicy(5, others, ['GM0001', 'GM0002']).minCellFor(row())).toBe(20);
    expect(minCellPolicy(5, others, ['GM0001']).minCellFor(row())).toBe(5);
    expect(minCellPolicy(30, others, ['GM0003']).minCellFor(row('GM0003'))).toBe(30);
  });

  it('says when the stored answer (suppressed at 10 everywhere) fits the caller', () => {
    expect(minCellPolicy(10, others, ['GM0001', 'GM0003']).defaultFits).toBe(true);
    expect(minCellPolicy(10, others, ['GM0002']).defaultFits).toBe(false); // someone asks 20
    expect(minCellPolicy(5, others, ['GM0001']).defaultFits).toBe(false); // the caller asks 5
  });
});
