import { DataSource } from 'typeorm';
import { DEMO_PASSWORD } from '@klantmonitor/server/config';
import { hashPassword } from '@klantmonitor/server/crypto';
import type { OrganisationRole } from '@klantmonitor/shared/domain';
import { DEFAULT_SCHEDULE } from '@klantmonitor/shared/questionnaires';

/** The six municipalities of the original study, served by two organisations. */
export const DEMO_ORGANISATIONS = [
  {
    name: 'Schuldhulp Noord-Oost',
    domain: 'noordoost.demo.klantmonitor.nl',
    municipalities: ['GM0080', 'GM0200', 'GM0193'], // Leeuwarden, Apeldoorn, Zwolle
    contact: {
      phone: '058 123 45 67',
      hours: 'Maandag tot en met vrijdag van 9.00 tot 17.00 uur',
      payout:
        'We zetten je spaartegoed elk kwartaal op je rekening. Heb je een schuldregeling? Dan gaat het naar je budgetbeheerrekening.',
    },
  },
  {
    name: 'Kredietbank Rijn en Gouwe',
    domain: 'rijngouwe.demo.klantmonitor.nl',
    municipalities: ['GM0484', 'GM0546', 'GM0344'], // Alphen aan den Rijn, Leiden, Utrecht
    contact: {
      phone: '071 765 43 21',
      hours: 'Maandag tot en met donderdag van 8.30 tot 16.30 uur, vrijdag tot 12.00 uur',
      payout:
        'Bij je laatste gesprek krijg je het hele spaartegoed als cadeaubon of op je rekening, wat je zelf kiest.',
    },
  },
] as const;

const DEMO_USERS: { local: string; role: OrganisationRole; name: string }[] = [
  { local: 'beheer', role: 'org_admin', name: 'Fatima Beheer' },
  { local: 'hulpverlener', role: 'counselor', name: 'Sanne Hulpverlener' },
  // A colleague, so a client can be handed over in the demo; the demo clients stay Sanne's.
  { local: 'collega', role: 'counselor', name: 'Ahmed Collega' },
  { local: 'beleid', role: 'policy_advisor', name: 'Pieter Beleid' },
];

export interface DemoSignIn {
  organisation: string;
  role: OrganisationRole;
  email: string;
  password: string;
}

/** Seeds the demo organisations and one user per role; safe to run again. */
export async function seedDemo(ds: DataSource): Promise<DemoSignIn[]> {
  const hash = await hashPassword(DEMO_PASSWORD);
  const signIns: DemoSignIn[] = [];
  await ds.transaction(async (em) => {
    for (const org of DEMO_ORGANISATIONS) {
      const [{ id }] = await em.query(
        `INSERT INTO organisations (name) VALUES ($1)
         ON CONFLICT ON CONSTRAINT uq_organisations_name DO UPDATE SET name = EXCLUDED.name RETURNING id`,
        [org.name],
      );
      await em.query(
        `INSERT INTO organisation_municipalities (organisation_id, municipality_code)
         SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
        [id, org.municipalities],
      );
      // What clients see on "Mijn traject": how to reach the organisation and how the spaartegoed is paid.
      const s = DEFAULT_SCHEDULE;
      await em.query(
        `INSERT INTO questionnaire_schedules (organisation_id, interval_weeks, delay_after_step_days, reminder_after_days,
           expiry_days, credit_cents, channels, payout_text, contact_phone, opening_hours)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (organisation_id) DO NOTHING`,
        [
          id,
          s.intervalWeeks,
          s.delayAfterStepDays,
          s.reminderAfterDays,
          s.expiryDays,
          s.creditCents,
          s.channels,
          org.contact.payout,
          org.contact.phone,
          org.contact.hours,
        ],
      );
      for (const u of DEMO_USERS) {
        const email = `${u.local}@${org.domain}`;
        await em.query(
          `INSERT INTO users (organisation_id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash`,
          [id, email, u.name, u.role, hash],
        );
        signIns.push({ organisation: org.name, role: u.role, email, password: DEMO_PASSWORD });
      }
    }
  });
  return signIns;
}
