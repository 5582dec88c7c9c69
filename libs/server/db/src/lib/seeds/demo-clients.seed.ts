import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { SecretBox } from '@klantmonitor/server/crypto';
import {
  DEFAULT_INTAKE_ITEMS,
  DROPOUT_REASONS,
  STEP_CODES,
  SUPPORT_CHANNELS,
  SUPPORT_TYPES,
  type DropoutReason,
  type StepCode,
  addDays,
  CRISIS_KINDS,
  firstMeetingDue,
  previousWorkingDay,
  todayInAmsterdam,
} from '@klantmonitor/shared/domain';
import { currentStep, effectiveStepDates, RecordedSteps, stalledSince } from '@klantmonitor/shared/metrics';
import { alertsRepository } from '../alerts.repository';

/**
 * Demo clients that make every screen worth looking at: the three client types of the study
 * (share of the population, mean days between steps, dropout chance), dropout mostly right after
 * intake, some intermediate steps left unrecorded, support, services and intake assessments.
 * Deterministic (seeded), so every demo looks the same apart from "today".
 */
export const TYPES = [
  // gaps: mean days from one step to the next; the first four sum to the mean time to "in balance"
  // (51, 66 and 71 days; calibrated so that, with dropout and unrecorded steps, roughly the study's
  // 55%, 19% and 12% are in balance within 60 days).
  { code: 'zelfstandige', name: 'De zelfstandige', share: 0.4, gaps: [8, 10, 13, 20, 45], dropout: 0.08 },
  { code: 'afhankelijke', name: 'De afhankelijke', share: 0.35, gaps: [10, 14, 16, 26, 80], dropout: 0.2 },
  { code: 'kwetsbare', name: 'De kwetsbare', share: 0.25, gaps: [10, 14, 18, 29, 110], dropout: 0.27 },
] as const;

/**
 * Pace of some demo municipalities (a factor on the days between steps), so the benchmark page has
 * something to find: Zwolle clearly faster than the country, Alphen aan den Rijn clearly slower.
 */
export const DEMO_PACE: Record<string, number> = { GM0193: 0.5, GM0484: 1.8 };

/**
 * Mean days from the request for help to the first meeting (#26), per demo municipality: Zwolle
 * sees its clients quickly, Alphen aan den Rijn often after the legal 4 weeks. Others: 12.
 */
export const DEMO_WAIT: Record<string, number> = { GM0193: 5, GM0484: 26 };

export interface SeedOptions {
  /** Factor on the days between steps, per municipality (default 1). */
  pace?: Record<string, number>;
  /** Shares of the three client types (default: the study's, as in TYPES). */
  typeShares?: [number, number, number];
  /** Seed of the random numbers (default: by organisation index). */
  seed?: number;
  /** Contact data and counselor assignments (the comparison set has neither). */
  withContacts?: boolean;
  /** Intake answers of the default instrument, shaped by client type (the demo organisations). */
  intakeAnswers?: boolean;
  /** Mean days from request to first meeting per municipality (#26; default 12). */
  waitDays?: Record<string, number>;
  /** Requests still waiting for their first meeting, on top of `count` (#26; default 0). */
  waiting?: number;
}

export function prng(seed: number): () => number {
  // mulberry32
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seedDemoClients(
  ds: DataSource,
  box: SecretBox,
  perOrganisation = 150,
  today = todayInAmsterdam(),
): Promise<number> {
  const orgs: { id: string; name: string }[] = await ds.query(
    `SELECT o.id, o.name FROM organisations o WHERE o.name IN ('Schuldhulp Noord-Oost', 'Kredietbank Rijn en Gouwe') ORDER BY o.name`,
  );
  let made = 0;
  for (const [orgIndex, org] of orgs.entries()) {
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM clients WHERE organisation_id = $1', [org.id]);
    if (n > 0) continue; // seeded before
    await ds.transaction(async (em) => {
      const prefix = org.name.startsWith('Schuldhulp') ? 'NO' : 'RG';
      made += await seedOrganisation(em, org.id, orgIndex, prefix, box, perOrganisation, today, {
        pace: DEMO_PACE,
        intakeAnswers: true,
        waitDays: DEMO_WAIT,
        waiting: 8,
      });
      await em.query(`SELECT set_config('app.organisation_id', $1, true)`, [org.id]);
      // The signals the nightly check would raise (stalled_since is set per row above, by the same rule).
      await alertsRepository.raiseStalled(em);
      await alertsRepository.raiseFirstMeeting(em, today);
    });
  }
  return made;
}

export async function seedOrganisation(
  em: EntityManager,
  orgId: string,
  orgIndex: number,
  prefix: string,
  box: SecretBox,
  count: number,
  today: string,
  options: SeedOptions = {},
): Promise<number> {
  const rand = prng(options.seed ?? 20251122 + orgIndex);
  const shares = options.typeShares ?? [TYPES[0].share, TYPES[1].share, TYPES[2].share];
  const withContacts = options.withContacts ?? true;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const municipalities: string[] = (
    await em.query('SELECT municipality_code FROM organisation_municipalities WHERE organisation_id = $1 ORDER BY 1', [
      orgId,
    ])
  ).map((r: { municipality_code: string }) => r.municipality_code);
  const [counselor] = await em.query(
    `SELECT id FROM users WHERE organisation_id = $1 AND role = 'counselor' ORDER BY email LIKE 'hulpverlener@%' DESC, created_at LIMIT 1`,
    [orgId],
  );

  const typeIds: Record<string, string> = {};
  for (const t of TYPES) {
    const [row] = await em.query(
      `INSERT INTO client_types (organisation_id, code, name) VALUES ($1, $2, $3)
       ON CONFLICT ON CONSTRAINT uq_client_types_code DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [orgId, t.code, t.name],
    );
    typeIds[t.code] = row.id;
  }

  const rows = {
    clients: [] as unknown[][],
    trajectories: [] as unknown[][],
    events: [] as unknown[][],
    support: [] as unknown[][],
    services: [] as unknown[][],
    assessments: [] as unknown[][],
  };
  // Who answered the intake questionnaire when, with which type: answers come after the loop, from a
  // generator of their own, so the rest of the demo stays exactly as it was.
  const intake: { clientId: string; day: string; type: number }[] = [];
  // Requests for help (#26) from a generator of their own, so the rest of the demo stays as it was:
  // the wait before the first meeting by municipality, and a crisis now and then (seen within days).
  const waitRand = prng((options.seed ?? 20251122 + orgIndex) + 11);
  const requestOf = (firstContact: string, municipality: string) => {
    const crisis = waitRand() < 0.06 ? CRISIS_KINDS[Math.floor(waitRand() * CRISIS_KINDS.length)] : null;
    const mean = options.waitDays?.[municipality] ?? 12;
    const wait = crisis ? Math.floor(waitRand() * 6) : Math.round(mean * (0.15 + 1.7 * waitRand()));
    const registeredOn = addDays(firstContact, -wait);
    const due = firstMeetingDue(registeredOn, crisis);
    return { registeredOn, crisis, due, alertOn: previousWorkingDay(due) };
  };
  for (let i = 0; i < count; i++) {
    const r = rand();
    const type = r < shares[0] ? TYPES[0] : r < shares[0] + shares[1] ? TYPES[1] : TYPES[2];
    const municipality = municipalities[i % municipalities.length];
    const pace = options.pace?.[municipality] ?? 1;
    const clientId = randomUUID();
    const trajectoryId = randomUUID();
    const firstContact = addDays(today, -Math.floor(rand() * 270) - 1);
    intake.push({
      clientId,
      day: addDays(firstContact, 2) <= today ? addDays(firstContact, 2) : firstContact,
      type: TYPES.indexOf(type),
    });
    const email =
      rand() < 0.7 && withContacts ? box.seal(`client${orgIndex}${String(i).padStart(3, '0')}@voorbeeld.nl`) : null;
    const phone =
      rand() < 0.5 && withContacts ? box.seal(`06${String(10000000 + Math.floor(rand() * 89999999))}`) : null;
    rows.clients.push([
      clientId,
      `${prefix}-${String(2025000 + i)}`,
      email,
      phone,
      pick(['single', 'single_parent', 'couple', 'couple_with_children', 'other']),
      pick(['benefit', 'benefit', 'low_income', 'middle_income', 'other']),
      pick(['1950-1959', '1960-1969', '1970-1979', '1980-1989', '1990-1999', '2000-2009']),
    ]);

    // Step dates by the type's pace; dropout (mostly right after intake) cuts the trajectory short.
    let dropout: { date: string; reason: DropoutReason } | null = null;
    let dropAfterStep = -1;
    if (rand() < type.dropout) {
      dropAfterStep = rand() < 0.6 ? 0 : 1 + Math.floor(rand() * 3);
    }
    // A few trajectories go quiet after a step or two: nothing more happens, so they get stalled.
    const quietAfter = dropAfterStep < 0 && rand() < 0.06 ? 1 + Math.floor(rand() * 2) : STEP_CODES.length;
    const recorded: RecordedSteps = { first_contact: firstContact };
    let date = firstContact;
    for (let s = 1; s < Math.min(quietAfter + 1, STEP_CODES.length); s++) {
      if (dropAfterStep === s - 1) {
        const d = addDays(date, 3 + Math.floor(rand() * 30));
        if (d <= today) dropout = { date: d, reason: pick(DROPOUT_REASONS.filter((x) => x !== 'deceased')) };
        break;
      }
      date = addDays(date, Math.max(1, Math.round(type.gaps[s - 1] * pace * (0.4 + 1.2 * rand()))));
      if (date > today) break;
      // Counselors skip marking some intermediate steps; the monotone closure fills them in.
      if (s < STEP_CODES.length - 1 && rand() < 0.15) continue;
      recorded[STEP_CODES[s]] = date;
      rows.events.push([randomUUID(), trajectoryId, STEP_CODES[s], date, counselor?.id ?? null]);
    }

    const effective = effectiveStepDates(recorded);
    const support: string[] = [];
    const contacts = 1 + Math.floor(rand() * 6);
    const end = dropout?.date ?? (quietAfter < STEP_CODES.length ? date : today);
    for (let k = 0; k < contacts; k++) {
      const d = addDays(firstContact, Math.floor(rand() * Math.max(1, Math.min(120, daysSpan(firstContact, end)))));
      if (d > end) continue;
      support.push(d);
      rows.support.push([
        randomUUID(),
        trajectoryId,
        d,
        pick(SUPPORT_TYPES),
        15 + 15 * Math.floor(rand() * 6),
        pick(SUPPORT_CHANNELS),
      ]);
    }
    // Nothing is dated after today.
    const upToToday = (d: string) => (d <= today ? d : null);
    const service = (kind: string, start: string, endDate: string | null) => {
      if (upToToday(start))
        rows.services.push([randomUUID(), trajectoryId, kind, start, endDate && upToToday(endDate)]);
    };
    if (rand() < 0.3) service('budget_management', addDays(firstContact, 14), null);
    if (rand() < 0.1) service('protection', addDays(firstContact, 30), null);
    if (rand() < 0.2) service('budget_coaching', addDays(firstContact, 7), addDays(firstContact, 97));
    const assessedOn = [addDays(firstContact, Math.floor(rand() * 14)), today].sort()[0];
    if (rand() < 0.9) rows.assessments.push([randomUUID(), clientId, assessedOn, typeIds[type.code]]);

    // The stabilisation phase ends two weeks after "ready for settlement": the trajectory is closed.
    const settled = recorded.settlement_ready ? addDays(recorded.settlement_ready, 14) : null;
    const closedOn = !dropout && settled && settled <= today ? settled : null;
    const status = dropout ? 'dropped_out' : closedOn ? 'closed' : 'open';
    const lastActivity = [firstContact, ...Object.values(recorded).filter((d): d is string => !!d), ...support]
      .sort()
      .at(-1) as string;
    const request = requestOf(firstContact, municipality);
    rows.trajectories.push([
      request.registeredOn,
      request.crisis,
      request.due,
      request.alertOn,
      trajectoryId,
      clientId,
      municipality,
      rand() < 0.65 && withContacts ? (counselor?.id ?? null) : null,
      firstContact,
      status,
      closedOn,
      dropout?.date ?? null,
      dropout?.reason ?? null,
      JSON.stringify(effective),
      currentStep(effective) as StepCode,
      lastActivity,
      stalledSince(lastActivity, status, today),
    ]);
  }

  // Requests still waiting (#26), on the counselor's worklist: the first a threatened eviction of two
  // weeks ago (its 3 working days long past: it heads the list), then two ordinary requests past their
  // 4 weeks (31 and 29 days ago), two more crises of the last two days, the rest 2 to 27 days ago.
  for (let w = 0; w < (options.waiting ?? 0); w++) {
    const clientId = randomUUID();
    const municipality = municipalities[w % municipalities.length];
    const crisis = w === 0 ? 'eviction' : w % 3 === 0 ? CRISIS_KINDS[(w / 3) % CRISIS_KINDS.length] : null;
    const back =
      w === 0
        ? 14
        : w === 1
          ? 31
          : w === 2
            ? 29
            : crisis
              ? 1 + Math.floor(waitRand() * 2)
              : 2 + Math.floor(waitRand() * 26);
    const registeredOn = addDays(today, -back);
    const due = firstMeetingDue(registeredOn, crisis);
    rows.clients.push([
      clientId,
      `${prefix}-${String(2026900 + w)}`,
      withContacts ? box.seal(`aanmelding${orgIndex}${w}@voorbeeld.nl`) : null,
      null,
      pick(['single', 'single_parent', 'couple', 'couple_with_children', 'other']),
      pick(['benefit', 'low_income', 'middle_income']),
      pick(['1960-1969', '1970-1979', '1980-1989', '1990-1999']),
    ]);
    rows.trajectories.push([
      registeredOn,
      crisis,
      due,
      previousWorkingDay(due),
      randomUUID(),
      clientId,
      municipality,
      withContacts ? (counselor?.id ?? null) : null,
      null,
      'open',
      null,
      null,
      null,
      JSON.stringify(Object.fromEntries(STEP_CODES.map((s) => [s, null]))),
      null,
      registeredOn,
      null,
    ]);
  }

  await insertRows(
    em,
    'clients',
    orgId,
    ['id', 'client_ref', 'email_enc', 'phone_enc', 'household_type', 'income_band', 'birth_year_band'],
    rows.clients,
  );
  await insertRows(
    em,
    'trajectories',
    orgId,
    [
      'registered_on',
      'crisis',
      'first_meeting_due',
      'first_meeting_alert_on',
      'id',
      'client_id',
      'municipality_code',
      'counselor_id',
      'first_contact',
      'status',
      'closed_on',
      'dropout_on',
      'dropout_reason',
      'effective_steps',
      'current_step',
      'last_activity_on',
      'stalled_since',
    ],
    rows.trajectories,
  );
  await insertRows(
    em,
    'step_events',
    orgId,
    ['id', 'trajectory_id', 'step', 'occurred_on', 'recorded_by'],
    rows.events,
  );
  await insertRows(
    em,
    'support_contacts',
    orgId,
    ['id', 'trajectory_id', 'occurred_on', 'type', 'minutes', 'channel'],
    rows.support,
  );
  await insertRows(em, 'services', orgId, ['id', 'trajectory_id', 'kind', 'started_on', 'ended_on'], rows.services);
  await insertRows(em, 'assessments', orgId, ['id', 'client_id', 'assessed_on', 'client_type_id'], rows.assessments);
  if (options.intakeAnswers) {
    const answersRand = prng((options.seed ?? 20251122 + orgIndex) + 7);
    await insertRows(
      em,
      'intake_answers',
      orgId,
      ['client_id', 'answered_on', 'answers'],
      intake.map((c) => [c.clientId, c.day, JSON.stringify(intakeAnswersOf(c.type, answersRand))]),
    );
  }
  return count;
}

/**
 * Demo intake answers shaped like the study's three segments: the self-reliant agree with doing
 * things themselves and online; the dependent want a person and time; the vulnerable find letters
 * and help hard to get and have more worries. Noise of about one point; 3% of items left open.
 */
export function intakeAnswersOf(type: number, rand: () => number): Record<string, number> {
  const high: RegExp[][] = [
    [/^fast_/, /^zelf_/, /^kiezen_/, /^doen_(hulp|weet_wat)/, /^denk_/, /^digi_/, /^taal_makkelijk/, /^motivatie_/],
    [/^slow_/, /^vertrouwen_/, /^netwerk_/, /^delen_/],
    [/^problemen_/, /^doen_weet_niet_waar/, /^taal_moeilijke/, /^privacy_/],
  ];
  const out: Record<string, number> = {};
  for (const { code } of DEFAULT_INTAKE_ITEMS) {
    if (rand() < 0.03) continue;
    const isHigh = high[type].some((r) => r.test(code));
    const isLow = high.some((h, t) => t !== type && h.some((r) => r.test(code)));
    const mean = isHigh ? 4.3 : isLow ? 2 : 3;
    out[code] = Math.min(5, Math.max(1, Math.round(mean + (rand() - 0.5) * 2)));
  }
  return out;
}

function daysSpan(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** Multi-row INSERT in chunks (parameters stay far below PostgreSQL's 65,535 limit). */
export async function insertRows(
  em: EntityManager,
  table: string,
  orgId: string,
  columns: string[],
  rows: unknown[][],
): Promise<void> {
  const width = columns.length + 1;
  const chunk = Math.floor(30000 / width);
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const values = part
      .map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`)
      .join(', ');
    await em.query(
      `INSERT INTO ${table} (organisation_id, ${columns.join(', ')}) VALUES ${values}`,
      part.flatMap((row) => [orgId, ...row]),
    );
  }
}
