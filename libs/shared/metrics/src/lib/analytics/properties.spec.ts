import fc from 'fast-check';
import { STEP_CODES, type StepCode } from '@klantmonitor/shared/domain';
import { addDays } from '@klantmonitor/shared/domain';
import { effectiveStepDates } from '../effective-steps';
import { cohortOf, type TrajectoryRecord } from './trajectory';
import { attainmentCell, stepAttainment, type AttainmentCell } from './attainment';
import { dropout, dropoutCell, type DropoutCell } from './dropout';
import { aalenJohansen, timeCell, timeToStep } from './time-to-step';

const ASOF = '2025-12-31';
const dayOf = (base: string, max: number) => fc.integer({ min: 0, max }).map((d) => addDays(base, d));

/** Random trajectories: any steps recorded or not, dropout before, after or on step days, some after asOf. */
const trajectory: fc.Arbitrary<TrajectoryRecord> = fc
  .record({
    municipality: fc.constantFrom('GM1', 'GM2', 'GM3'),
    fc: dayOf('2024-06-01', 640),
    offsets: fc.array(fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }), { minLength: 5, maxLength: 5 }),
    dropout: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
    type: fc.option(fc.tuple(fc.integer({ min: -10, max: 45 }), fc.constantFrom('a', 'b')), { nil: null }),
  })
  .map((r) => {
    const steps: Partial<Record<StepCode, string>> = {};
    STEP_CODES.slice(1).forEach((s, i) => {
      const o = r.offsets[i];
      if (o !== null) steps[s] = addDays(r.fc, o);
    });
    return {
      municipality: r.municipality,
      firstContact: r.fc,
      steps,
      dropoutOn: r.dropout === null ? null : addDays(r.fc, r.dropout),
      assessments: r.type ? [{ assessedOn: addDays(r.fc, r.type[0]), clientType: r.type[1] }] : [],
    };
  });

const step = fc.constantFrom(...STEP_CODES);
const G = {
  groupBy: ['municipality' as const, 'clientType' as const],
  periodUnit: 'month' as const,
};

describe('metric invariants (fast-check)', () => {
  it('keeps every share and interval within [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(trajectory, { maxLength: 60 }), step, fc.integer({ min: 0, max: 400 }), (records, s, d) => {
        const cohort = cohortOf(records, { asOf: ASOF });
        const a = stepAttainment(
          cohort.map((t) => attainmentCell(t, s, d, ASOF)).filter((c): c is AttainmentCell => c !== null),
          G,
        );
        const o = dropout(
          cohort.map((t) => dropoutCell(t, ASOF)).filter((c): c is DropoutCell => c !== null),
          G,
        );
        for (const r of [...a.rows, a.total, ...o.rows, o.total]) {
          for (const v of [r.share, r.ciLow, r.ciHigh]) if (v !== null) expect(v >= 0 && v <= 1).toBe(true);
          if (r.share !== null) expect((r.ciLow as number) <= r.share && r.share <= (r.ciHigh as number)).toBe(true);
        }
      }),
    );
  });

  it('gives non-decreasing incidence curves whose step and dropout parts never pass 1', () => {
    fc.assert(
      fc.property(fc.array(trajectory, { maxLength: 60 }), step, (records, s) => {
        const curve = aalenJohansen(cohortOf(records, { asOf: ASOF }).map((t) => timeCell(t, s, ASOF)));
        for (let j = 0; j < curve.times.length; j++) {
          expect(curve.cif[j] + curve.dropoutCif[j]).toBeLessThanOrEqual(1 + 1e-12);
          if (j > 0) {
            expect(curve.cif[j]).toBeGreaterThanOrEqual(curve.cif[j - 1]);
            expect(curve.dropoutCif[j]).toBeGreaterThanOrEqual(curve.dropoutCif[j - 1]);
          }
        }
      }),
    );
  });

  it('gives the same answer whatever the order of the rows', () => {
    fc.assert(
      fc.property(
        fc.array(trajectory, { maxLength: 40 }).chain((rs) =>
          fc.tuple(
            fc.constant(rs),
            fc.shuffledSubarray(rs, {
              minLength: rs.length,
              maxLength: rs.length,
            }),
          ),
        ),
        step,
        ([records, shuffled], s) => {
          const answer = (rs: TrajectoryRecord[]) => {
            const cohort = cohortOf(rs, { asOf: ASOF });
            return {
              a: stepAttainment(
                cohort.map((t) => attainmentCell(t, s, 60, ASOF)).filter((c): c is AttainmentCell => c !== null),
                G,
              ),
              t: timeToStep(
                cohort.map((t) => timeCell(t, s, ASOF)),
                G,
              ),
            };
          };
          const x = answer(records);
          const y = answer(shuffled);
          expect(y.a.rows.map((r) => [r.municipality, r.clientType, r.eligible, r.reached])).toEqual(
            x.a.rows.map((r) => [r.municipality, r.clientType, r.eligible, r.reached]),
          );
          expect(y.t.rows.map((r) => r.medianDays)).toEqual(x.t.rows.map((r) => r.medianDays));
          y.t.rows.forEach((r, i) =>
            r.curve?.forEach((p, k) => expect(p.cif).toBeCloseTo(x.t.rows[i].curve?.[k].cif as number, 12)),
          );
        },
      ),
    );
  });

  it('makes the monotone closure idempotent and monotone', () => {
    fc.assert(
      fc.property(trajectory, (r) => {
        const eff = effectiveStepDates({
          ...r.steps,
          first_contact: r.firstContact,
        });
        expect(effectiveStepDates(eff)).toEqual(eff);
        for (let i = 1; i < STEP_CODES.length; i++) {
          const [before, after] = [eff[STEP_CODES[i - 1]], eff[STEP_CODES[i]]];
          if (after !== null) expect(before !== null && before <= after).toBe(true);
        }
      }),
    );
  });

  it('never counts more reached than eligible, and the case-mix expectations add up to the reached total', () => {
    fc.assert(
      fc.property(fc.array(trajectory, { maxLength: 60 }), step, fc.integer({ min: 0, max: 300 }), (records, s, d) => {
        const cohort = cohortOf(records, { asOf: ASOF });
        const at = (days: number) =>
          stepAttainment(
            cohort.map((t) => attainmentCell(t, s, days, ASOF)).filter((c): c is AttainmentCell => c !== null),
            G,
          ).total;
        const total = at(d);
        expect(total.reached as number).toBeLessThanOrEqual(total.eligible as number);
        // Sum of case-mix expectations equals the reached total.
        const byMunicipality = stepAttainment(
          cohort.map((t) => attainmentCell(t, s, d, ASOF)).filter((c): c is AttainmentCell => c !== null),
          { groupBy: ['municipality'], periodUnit: 'month' },
        );
        const expected = byMunicipality.rows.reduce((sum, r) => sum + (r.expected ?? 0), 0);
        expect(expected).toBeCloseTo(total.reached as number, 9);
      }),
    );
  });
});
