import { EntityManager } from 'typeorm';
import {
  Channel,
  DEFAULT_SCHEDULE,
  QuestionnaireSchedule,
  QuestionnaireTemplate,
  type NewTemplate,
} from '@klantmonitor/shared/questionnaires';

export interface StoredSchedule extends QuestionnaireSchedule {
  /** The template invitations use; null means the newest version of the default template. */
  templateId: string | null;
  /** False while the organisation still runs on the defaults. */
  customised: boolean;
  /** How the spaartegoed is paid, in the organisation's words (null: not said). */
  payoutText: string | null;
  /** How clients reach the organisation (null: not said). */
  contactPhone: string | null;
  openingHours: string | null;
}

export interface StoredTemplate extends QuestionnaireTemplate {
  id: string;
}

/** The organisation's schedule (the tenant of `em`), or the defaults when it has none. */
export async function loadSchedule(em: EntityManager): Promise<StoredSchedule> {
  const rows: Record<string, unknown>[] = await em.query(
    `SELECT template_id, interval_weeks, delay_after_step_days, reminder_after_days, expiry_days, credit_cents, channels, payout_text,
            contact_phone, opening_hours
     FROM questionnaire_schedules WHERE organisation_id = km_current_organisation_id()`,
  );
  const r = rows[0];
  if (!r)
    return {
      ...DEFAULT_SCHEDULE,
      channels: [...DEFAULT_SCHEDULE.channels],
      templateId: null,
      customised: false,
      payoutText: null,
      contactPhone: null,
      openingHours: null,
    };
  return {
    templateId: (r['template_id'] as string | null) ?? null,
    intervalWeeks: Number(r['interval_weeks']),
    delayAfterStepDays: Number(r['delay_after_step_days']),
    reminderAfterDays: Number(r['reminder_after_days']),
    expiryDays: Number(r['expiry_days']),
    creditCents: Number(r['credit_cents']),
    channels: r['channels'] as Channel[],
    customised: true,
    payoutText: (r['payout_text'] as string | null) ?? null,
    contactPhone: (r['contact_phone'] as string | null) ?? null,
    openingHours: (r['opening_hours'] as string | null) ?? null,
  };
}

export async function saveSchedule(
  em: EntityManager,
  s: QuestionnaireSchedule & Pick<StoredSchedule, 'templateId' | 'payoutText' | 'contactPhone' | 'openingHours'>,
  userId: string | null,
): Promise<void> {
  await em.query(
    `INSERT INTO questionnaire_schedules (organisation_id, template_id, interval_weeks, delay_after_step_days, reminder_after_days, expiry_days, credit_cents, channels, updated_by, payout_text, contact_phone, opening_hours)
     VALUES (km_current_organisation_id(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (organisation_id) DO UPDATE SET template_id = EXCLUDED.template_id, interval_weeks = EXCLUDED.interval_weeks,
       delay_after_step_days = EXCLUDED.delay_after_step_days, reminder_after_days = EXCLUDED.reminder_after_days,
       expiry_days = EXCLUDED.expiry_days, credit_cents = EXCLUDED.credit_cents, channels = EXCLUDED.channels,
       updated_by = EXCLUDED.updated_by, updated_at = now(), payout_text = EXCLUDED.payout_text,
       contact_phone = EXCLUDED.contact_phone, opening_hours = EXCLUDED.opening_hours`,
    [
      s.templateId,
      s.intervalWeeks,
      s.delayAfterStepDays,
      s.reminderAfterDays,
      s.expiryDays,
      s.creditCents,
      s.channels,
      userId,
      s.payoutText,
      s.contactPhone,
      s.openingHours,
    ],
  );
}

function toTemplate(r: Record<string, unknown>): StoredTemplate {
  return {
    id: r['id'] as string,
    code: r['code'] as string,
    version: Number(r['version']),
    title: r['title'] as StoredTemplate['title'],
    items: r['items'] as StoredTemplate['items'],
    commentMaxLength: Number(r['comment_max_length']),
  };
}

/** A template by id, or (null) the newest version of the default Klantbeleving template. */
export async function loadTemplate(em: EntityManager, id: string | null): Promise<StoredTemplate> {
  const rows: Record<string, unknown>[] = id
    ? await em.query(`SELECT * FROM questionnaire_templates WHERE id = $1`, [id])
    : await em.query(
        `SELECT * FROM questionnaire_templates WHERE code = 'klantbeleving' ORDER BY version DESC LIMIT 1`,
      );
  if (!rows[0]) throw new Error(`Questionnaire template ${id ?? 'klantbeleving'} does not exist`);
  return toTemplate(rows[0]);
}

export async function listTemplates(em: EntityManager): Promise<StoredTemplate[]> {
  const rows: Record<string, unknown>[] = await em.query(
    `SELECT * FROM questionnaire_templates ORDER BY code, version`,
  );
  return rows.map(toTemplate);
}

/** Whether a template version with this id exists. */
export async function templateExists(em: EntityManager, id: string): Promise<boolean> {
  const rows: unknown[] = await em.query('SELECT 1 FROM questionnaire_templates WHERE id = $1', [id]);
  return rows.length > 0;
}

/**
 * Adds the next version of a template code (versions are never changed) and returns its id. The
 * advisory lock keeps two admins from taking one number.
 */
export async function insertTemplateVersion(
  em: EntityManager,
  t: Pick<NewTemplate, 'code' | 'title'> & { items: object[]; commentMaxLength?: number },
  createdBy: string,
): Promise<string> {
  await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`template:${t.code}`]);
  const [row]: { id: string }[] = await em.query(
    `INSERT INTO questionnaire_templates (code, version, title, items, comment_max_length, created_by)
     SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5 FROM questionnaire_templates WHERE code = $1
     RETURNING id`,
    [t.code, JSON.stringify(t.title), JSON.stringify(t.items), t.commentMaxLength ?? 1000, createdBy],
  );
  return row.id;
}
