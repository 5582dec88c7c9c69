import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import type { ClientDetail, CounselorView } from '@klantmonitor/shared/domain';
import { KmDatePipe } from '@klantmonitor/dashboard/util-i18n';

export interface TimelineEntry {
  date: string;
  text: string;
  withdrawn?: boolean;
  kind: 'start' | 'step' | 'support' | 'dropout' | 'assessment' | 'activity';
  /** Who recorded it (null: an import) and when; absent where nothing says. */
  by?: string | null;
  at?: string;
  note?: string | null;
}

/** History entries that are not already on the timeline as an event of their own. */
export const ACTIVITY_SHOWN = [
  'client.update',
  'step.withdraw',
  'trajectory.close',
  'trajectory.reopen',
  'trajectory.reassign',
  'service.start',
  'service.end',
  'alert.resolve',
];

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** A history entry in words. */
export function activityText(
  t: Translate,
  action: string,
  details: Record<string, unknown> | null,
  counselors: readonly CounselorView[],
): string {
  switch (action) {
    case 'client.update':
      return t('client.activity.update', {
        fields: ((details?.['fields'] as string[] | undefined) ?? []).map((f) => t(`client.fields.${f}`)).join(', '),
      });
    case 'step.withdraw':
      return t('client.activity.withdraw', { step: t(`steps.${String(details?.['step'] ?? 'first_contact')}`) });
    case 'service.start':
    case 'service.end':
      return t(`client.activity.${action === 'service.start' ? 'serviceStart' : 'serviceEnd'}`, {
        service: t(`services.${String(details?.['kind'] ?? 'other')}`),
      });
    case 'trajectory.reassign': {
      const to = counselors.find((u) => u.id === details?.['to'])?.name;
      return to ? t('client.activity.reassignTo', { name: to }) : t('client.activity.reassign');
    }
    case 'trajectory.close':
      return t('client.activity.close');
    case 'trajectory.reopen':
      return t('client.activity.reopen');
    case 'alert.resolve':
      return t('client.activity.resolve');
    default:
      return action;
  }
}

/**
 * Everything that happened to a client, newest first (pure). Within one day the entry recorded
 * last comes first (#25: same-day entries were in no particular order); an entry without a moment
 * of recording (an assessment) goes after the recorded ones of its day.
 */
export function buildTimeline(c: ClientDetail, t: Translate, counselors: readonly CounselorView[]): TimelineEntry[] {
  const created = c.activity.find((a) => a.action === 'client.create');
  // The request for help (#26) and the first meeting: one entry when they fall on one day.
  const registered = c.trajectory.registeredOn ?? c.trajectory.firstContact;
  const by = created ? created.actorName : null;
  const at = created?.at ?? c.createdAt;
  const entries: TimelineEntry[] =
    registered === c.trajectory.firstContact
      ? [{ date: registered, kind: 'start', text: t('client.started'), by, at }]
      : [
          {
            date: registered as string,
            kind: 'start',
            text: c.trajectory.crisis
              ? t('client.registeredCrisis', { crisis: t(`crisis.${c.trajectory.crisis}`) })
              : t('client.registered'),
            by,
            at,
          },
        ];
  if (c.trajectory.firstContact && registered !== c.trajectory.firstContact)
    entries.push({ date: c.trajectory.firstContact, kind: 'step', text: t('client.started'), by: null, at });
  for (const e of c.trajectory.stepEvents)
    entries.push({
      date: e.date,
      kind: 'step',
      withdrawn: !!e.withdrawnAt,
      text: t('client.stepMarked', { step: t(`steps.${e.step}`) }),
      by: e.source === 'import' ? null : e.recordedByName,
      at: e.recordedAt,
    });
  for (const s of c.support)
    entries.push({
      date: s.date,
      kind: 'support',
      text: t('client.supportGiven', {
        type: t(`supportTypes.${s.type}`),
        minutes: s.minutes,
        channel: t(`channels.${s.channel}`),
      }),
      note: s.note,
      by: s.recordedByName,
      at: s.recordedAt,
    });
  if (c.trajectory.dropout) {
    const reason = c.trajectory.dropout.reason ? t(`dropoutReasons.${c.trajectory.dropout.reason}`) : '';
    const recorded = c.activity.find((a) => a.action === 'trajectory.dropout');
    entries.push({
      date: c.trajectory.dropout.date,
      kind: 'dropout',
      text: t('client.droppedOut', { reason }),
      by: recorded ? recorded.actorName : null,
      at: recorded?.at,
      note: recorded?.note ?? null,
    });
  }
  for (const a of c.activity) {
    if (!ACTIVITY_SHOWN.includes(a.action)) continue;
    entries.push({
      date: a.at.slice(0, 10),
      kind: 'activity',
      text: activityText(t, a.action, a.details, counselors),
      by: a.actorName,
      at: a.at,
      note: a.note,
    });
  }
  for (const a of c.assessments)
    entries.push({ date: a.assessedOn, kind: 'assessment', text: t('client.assessed', { type: a.clientType.name }) });
  const moment = (e: TimelineEntry) => (e.at ? Date.parse(e.at) : Number.NEGATIVE_INFINITY);
  return entries
    .map((e, i) => ({ e, i }))
    .sort((x, y) => {
      if (x.e.date !== y.e.date) return x.e.date < y.e.date ? 1 : -1;
      const m = moment(y.e) - moment(x.e);
      return m !== 0 && !Number.isNaN(m) ? m : x.i - y.i;
    })
    .map(({ e }) => e);
}

/** The timeline card. */
@Component({
  selector: 'km-client-timeline',
  imports: [TranslatePipe, KmDatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{{ 'client.timeline' | translate }}</h2>
      <ol class="timeline" data-testid="timeline">
        @for (e of entries(); track $index) {
          <li [class.withdrawn]="e.withdrawn" [class]="'tl-' + e.kind">
            <time [attr.datetime]="e.date">{{ e.date | kmDate }}</time>
            <span>{{ e.text }}</span>
            @if (e.withdrawn) {
              <span class="tag">{{ 'client.withdrawn' | translate }}</span>
            }
            @if (e.note) {
              <span class="tl-note">“{{ e.note }}”</span>
            }
            @if (e.by || e.at) {
              <span class="muted tl-by" data-testid="timeline-by">
                {{
                  'client.recordedBy'
                    | translate: { name: e.by ?? ('client.import' | translate), at: (e.at | kmDate: 'dateTime') }
                }}
              </span>
            }
          </li>
        }
      </ol>
    </section>
  `,
})
export class ClientTimeline {
  readonly entries = input.required<TimelineEntry[]>();
}
