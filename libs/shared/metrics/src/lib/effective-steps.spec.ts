import fc from 'fast-check';
import { STEP_CODES, StepCode } from '@klantmonitor/shared/domain';
import { addDays, daysBetween, isIsoDate, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { currentStep, effectiveStepDates, phaseOn, RecordedSteps, stalledSince } from './effective-steps';

describe('effectiveStepDates (monotone closure)', () => {
  it('fills unrecorded earlier steps from the earliest later step', () => {
    // Recorded: first_contact 01-10, iu_in_view 03-01. Nothing else.
    // eff(goal_known) = min(iu_in_view) = 03-01; eff(approach_set) = 03-01; eff(iu_in_view) = 03-01;
    // later steps have no recorded date at or after them: null.
    expect(effectiveStepDates({ first_contact: '2025-01-10', iu_in_view: '2025-03-01' })).toEqual({
      first_contact: '2025-01-10',
      goal_known: '2025-03-01',
      approach_set: '2025-03-01',
      iu_in_view: '2025-03-01',
      iu_in_balance: null,
      settlement_ready: null,
    });
  });

  it('takes the earliest of a step and all later ones when dates are out of order', () => {
    // goal_known 02-20 but approach_set recorded earlier on 02-10: eff(goal_known) = min(02-20, 02-10) = 02-10.
    // iu_in_balance 04-01, settlement_ready 03-15: eff(iu_in_view) = eff(iu_in_balance) = 03-15.
    expect(
      effectiveStepDates({
        first_contact: '2025-01-05',
        goal_known: '2025-02-20',
        approach_set: '2025-02-10',
        iu_in_balance: '2025-04-01',
        settlement_ready: '2025-03-15',
      }),
    ).toEqual({
      first_contact: '2025-01-05',
      goal_known: '2025-02-10',
      approach_set: '2025-02-10',
      iu_in_view: '2025-03-15',
      iu_in_balance: '2025-03-15',
      settlement_ready: '2025-03-15',
    });
  });

  it('ignores events after asOf', () => {
    // asOf 02-28: iu_in_view (03-01) is not yet known, so goal_known and approach_set are null too.
    const eff = effectiveStepDates({ first_contact: '2025-01-10', iu_in_view: '2025-03-01' }, '2025-02-28');
    expect(eff).toEqual({ ...Object.fromEntries(STEP_CODES.map((s) => [s, null])), first_contact: '2025-01-10' });
    // An event on asOf itself counts.
    expect(effectiveStepDates({ first_contact: '2025-01-10', iu_in_view: '2025-03-01' }, '2025-03-01').goal_known).toBe(
      '2025-03-01',
    );
  });

  it('gives the phase on a date and the current step', () => {
    const eff = effectiveStepDates({
      first_contact: '2025-01-10',
      approach_set: '2025-02-01',
      iu_in_view: '2025-03-01',
    });
    expect(phaseOn(eff, '2025-01-10')).toBe('first_contact');
    expect(phaseOn(eff, '2025-01-31')).toBe('first_contact');
    // On 02-01 goal_known and approach_set both become effective: the last of them is the phase.
    expect(phaseOn(eff, '2025-02-01')).toBe('approach_set');
    expect(phaseOn(eff, '2025-12-31')).toBe('iu_in_view');
    expect(currentStep(eff)).toBe('iu_in_view');
    expect(currentStep(effectiveStepDates({}))).toBeNull();
  });

  const date = fc.integer({ min: 0, max: 2000 }).map((n) => addDays('2020-01-01', n));
  const recorded = fc.record(
    Object.fromEntries(STEP_CODES.map((s) => [s, fc.option(date, { nil: undefined })])) as Record<
      StepCode,
      fc.Arbitrary<string | undefined>
    >,
  );

  it('is monotone: effective dates never decrease along the steps (property)', () => {
    fc.assert(
      fc.property(recorded, (r) => {
        const eff = effectiveStepDates(r as RecordedSteps);
        const defined = STEP_CODES.map((s) => eff[s]);
        for (let i = 1; i < defined.length; i++) {
          if (defined[i] !== null) expect(defined[i - 1] !== null && defined[i - 1]! <= defined[i]!).toBe(true);
        }
      }),
    );
  });

  it('is idempotent and never later than what was recorded (property)', () => {
    fc.assert(
      fc.property(recorded, (r) => {
        const eff = effectiveStepDates(r as RecordedSteps);
        expect(effectiveStepDates(eff)).toEqual(eff);
        for (const s of STEP_CODES) if (r[s]) expect(eff[s]! <= r[s]!).toBe(true);
      }),
    );
  });
});

describe('calendar dates', () => {
  it('accepts only real dates in strict form', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-2-3')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('1899-12-31')).toBe(false);
    expect(isIsoDate(20250101)).toBe(false);
  });

  it('counts whole days across month ends, leap days and DST changes', () => {
    expect(daysBetween('2025-01-01', '2025-03-01')).toBe(59); // 31 + 28
    expect(daysBetween('2024-01-01', '2024-03-01')).toBe(60); // 31 + 29
    expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2); // across the switch to summer time
    expect(daysBetween('2025-03-31', '2025-03-29')).toBe(-2);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('takes today in Amsterdam, not in UTC', () => {
    // 23:30 UTC on 31 December is already 1 January in Amsterdam (UTC+1 in winter).
    expect(todayInAmsterdam(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01');
    // 21:59 UTC on 30 June is 23:59 in Amsterdam (UTC+2 in summer): still 30 June.
    expect(todayInAmsterdam(new Date('2025-06-30T21:59:00Z'))).toBe('2025-06-30');
  });
});

describe('stalledSince', () => {
  it('flags an open trajectory only after more than 90 days without activity', () => {
    // Last activity 2025-01-01. 90 days later is 2025-04-01: not yet stalled.
    expect(stalledSince('2025-01-01', 'open', '2025-04-01')).toBeNull();
    // 91 days later (2025-04-02) it is stalled, since that day.
    expect(stalledSince('2025-01-01', 'open', '2025-04-02')).toBe('2025-04-02');
    expect(stalledSince('2025-01-01', 'open', '2025-06-30')).toBe('2025-04-02');
  });

  it('never flags a closed or dropped-out trajectory', () => {
    expect(stalledSince('2024-01-01', 'dropped_out', '2025-06-30')).toBeNull();
    expect(stalledSince('2024-01-01', 'closed', '2025-06-30')).toBeNull();
  });
});
