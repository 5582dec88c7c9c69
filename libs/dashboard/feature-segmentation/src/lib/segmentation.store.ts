import { computed, inject, Injectable, OnDestroy, signal } from '@angular/core';
import { TranslateService } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { addDays, STEP_CODES, todayInAmsterdam, type StepCode } from '@klantmonitor/shared/domain';
import {
  apiError,
  AuthStore,
  SegmentationApi,
  type SegmentationRun,
  type SegmentOutcome,
  type SegmentProfile,
  type StartSegmentationRequest,
  type Transitions,
} from '@klantmonitor/dashboard/data-access';
import { formatInt } from '@klantmonitor/dashboard/ui-charts';
import { ConfirmService } from '@klantmonitor/dashboard/ui-forms';

/**
 * The state of /segmentatie shared by its sections (#25 split the page into one component per
 * section): the runs, the run on screen and its chosen k, its profile and outcomes, the run in
 * progress (polled), the transitions, and what went wrong (a translation key).
 */
@Injectable()
export class SegmentationStore implements OnDestroy {
  private readonly api = inject(SegmentationApi);
  private readonly auth = inject(AuthStore);
  private readonly translate = inject(TranslateService);
  private readonly confirm = inject(ConfirmService);
  /** Starting, stopping and naming are the organisation admin's; a policy advisor reads (#24). */
  readonly canManage = computed(() => this.auth.role() === 'org_admin');
  readonly steps = STEP_CODES.filter((s) => s !== 'first_contact');
  readonly runs = signal<SegmentationRun[]>([]);
  readonly running = signal<SegmentationRun | null>(null);
  readonly run = signal<SegmentationRun | null>(null);
  readonly k = signal(3);
  readonly profile = signal<SegmentProfile | null>(null);
  readonly outcomes = signal<SegmentOutcome[] | null>(null);
  readonly outcomeStep = signal<StepCode>('iu_in_balance');
  readonly withinDays = signal(90);
  readonly transitions = signal<Transitions | null>(null);
  readonly names = signal<string[]>([]);
  readonly descriptions = signal<string[]>([]);
  /** A problem of starting or running (a translation key with its parameters). */
  readonly error = signal<string | null>(null);
  readonly errorParams = signal<Record<string, unknown>>({});
  /** The outcome of naming and using the groups (a translation key with its parameters). */
  readonly notice = signal<string | null>(null);
  readonly noticeParams = signal<Record<string, unknown>>({});
  readonly busy = signal(false);
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** The scenario with the highest silhouette: a suggestion, the choice stays the admin's. */
  readonly suggested = computed(() => {
    const s = this.run()?.scenarios ?? [];
    return s.length ? s.reduce((a, b) => ((b.silhouette ?? -1) > (a.silhouette ?? -1) ? b : a)).k : null;
  });

  /**
   * The runs as listed: completed runs with the same settings, clients and items are one row (the
   * newest), saying how often (#24: nine identical runs were nine rows); the run in use stays its own.
   */
  readonly runRows = computed(() => {
    const rows: { run: SegmentationRun; repeats: number }[] = [];
    const byKey = new Map<string, { run: SegmentationRun; repeats: number }>();
    for (const r of this.runs()) {
      const key =
        r.state === 'completed' && !r.activeK ? JSON.stringify([r.params ?? null, r.n, r.excluded, r.items]) : r.id;
      const known = byKey.get(key);
      if (known) known.repeats++;
      else {
        const row = { run: r, repeats: 1 };
        byKey.set(key, row);
        rows.push(row);
      }
    }
    return rows;
  });

  constructor() {
    void this.loadLatest();
    void this.loadTransitions();
  }

  /** A segment's name once this scenario is the model in use (#24: headers said "Groep 1" beside named groups). */
  groupName(i: number): string | null {
    const run = this.run();
    return run?.activeK === this.k() ? (run?.activeTypes?.[i]?.name ?? null) : null;
  }

  async open(id: string): Promise<void> {
    try {
      await this.show(await firstValueFrom(this.api.run(id)));
    } catch (e) {
      this.fail(e);
    }
  }

  async start(request: StartSegmentationRequest): Promise<void> {
    this.error.set(null);
    try {
      const { id } = await firstValueFrom(this.api.start(request));
      this.running.set({
        id,
        state: 'queued',
        progress: 0,
        n: null,
        excluded: null,
        items: null,
        error: null,
        createdAt: '',
      });
      this.poll(id);
    } catch (e) {
      this.fail(e);
    }
  }

  /** A problem found before sending (a translation key). */
  refuse(key: string, params: Record<string, unknown> = {}): void {
    this.errorParams.set(params);
    this.error.set(key);
  }

  /** Stopping throws the work so far away: ask first. */
  async cancel(): Promise<void> {
    const r = this.running();
    if (!r) return;
    const ask = this.translate.instant('segmentation.cancelConfirm') as string;
    if (!(await this.confirm.action('segmentationCancel', ask, { danger: true }))) return;
    try {
      await firstValueFrom(this.api.cancel(r.id));
    } catch (e) {
      this.fail(e);
    }
  }

  async chooseK(k: number): Promise<void> {
    this.k.set(k);
    this.prefillNames();
    this.notice.set(null);
    await this.loadScenario();
  }

  async setOutcomeStep(step: StepCode): Promise<void> {
    this.outcomeStep.set(step);
    await this.loadOutcomes();
  }

  async setWithinDays(days: number): Promise<void> {
    if (!Number.isInteger(days) || days < 1 || days > 3650) return;
    this.withinDays.set(days);
    await this.loadOutcomes();
  }

  setName(i: number, value: string): void {
    this.names.update((n) => Object.assign([...n], { [i]: value }));
  }
  setDescription(i: number, value: string): void {
    this.descriptions.update((n) => Object.assign([...n], { [i]: value }));
  }

  /** Names the groups of the scenario on screen and assigns every client its type. */
  async activate(names: string[], descriptions: string[]): Promise<void> {
    const run = this.run();
    if (!run) return;
    this.busy.set(true);
    try {
      const r = await firstValueFrom(this.api.activate(run.id, this.k(), names, descriptions));
      this.noticeParams.set({ n: formatInt(r.assigned) });
      this.notice.set('segmentation.activated');
      await this.loadRuns();
      this.run.set(await firstValueFrom(this.api.run(run.id)));
      await this.loadTransitions();
    } catch (e) {
      this.noticeParams.set({});
      this.notice.set(apiError(e).statusCode === 400 ? 'segmentation.namesInvalid' : 'errors.generic');
    } finally {
      this.busy.set(false);
    }
  }

  private poll(id: string): void {
    this.timer = setTimeout(async () => {
      try {
        const r = await firstValueFrom(this.api.run(id));
        if (r.state === 'queued' || r.state === 'running') {
          this.running.set(r);
          this.poll(id);
          return;
        }
        this.running.set(null);
        await this.loadRuns();
        if (r.state === 'completed') await this.show(r);
        else
          this.refuse(
            r.state === 'cancelled'
              ? 'segmentation.cancelled'
              : r.error === 'too_few_clients'
                ? 'segmentation.tooFewComplete'
                : 'segmentation.failed',
          );
      } catch (e) {
        this.running.set(null);
        this.fail(e);
      }
    }, 400);
  }

  private async loadRuns(): Promise<void> {
    this.runs.set(await firstValueFrom(this.api.runs()));
  }

  /** On arrival: the run in use if there is one, else the newest completed one; a running one polls. */
  private async loadLatest(): Promise<void> {
    try {
      await this.loadRuns();
      const runs = this.runs();
      const busy = runs.find((r) => r.state === 'queued' || r.state === 'running');
      if (busy) {
        this.running.set(busy);
        this.poll(busy.id);
      }
      const latest = runs.find((r) => r.activeK) ?? runs.find((r) => r.state === 'completed');
      if (latest) await this.show(await firstValueFrom(this.api.run(latest.id)));
    } catch (e) {
      this.fail(e);
    }
  }

  private async show(run: SegmentationRun): Promise<void> {
    this.run.set(run);
    const ks = (run.scenarios ?? []).map((s) => s.k);
    this.k.set(
      run.activeK && ks.includes(run.activeK)
        ? run.activeK
        : ks.includes(this.suggested() ?? -1)
          ? (this.suggested() as number)
          : (ks[0] ?? 2),
    );
    this.prefillNames();
    this.notice.set(null);
    await this.loadScenario();
  }

  /** The names in use when this scenario is the active model; empty otherwise. */
  private prefillNames(): void {
    const run = this.run();
    const active = run?.activeK === this.k() ? (run?.activeTypes ?? []) : [];
    this.names.set(active.map((t) => t.name));
    this.descriptions.set(active.map((t) => t.description ?? ''));
  }

  private async loadScenario(): Promise<void> {
    const run = this.run();
    if (!run) return;
    const [p] = await Promise.all([firstValueFrom(this.api.profile(run.id, this.k())), this.loadOutcomes()]);
    this.profile.set(p);
  }

  private async loadOutcomes(): Promise<void> {
    const run = this.run();
    if (!run) return;
    const o = await firstValueFrom(this.api.outcomes(run.id, this.k(), this.outcomeStep(), this.withinDays()));
    this.outcomes.set(o.rows);
  }

  /** How client types changed over the last year (Dutch calendar days). */
  private async loadTransitions(): Promise<void> {
    const today = todayInAmsterdam();
    try {
      this.transitions.set(await firstValueFrom(this.api.transitions(addDays(today, -365), today)));
    } catch {
      this.transitions.set(null);
    }
  }

  private fail(e: unknown): void {
    const err = apiError(e);
    const code = (e as { error?: { code?: string } } | null)?.error?.code;
    this.refuse(
      code === 'too_few_clients'
        ? 'segmentation.tooFew'
        : code === 'run_in_progress'
          ? 'segmentation.runInProgress'
          : err.statusCode === 400
            ? 'segmentation.invalid'
            : err.statusCode === 0
              ? 'login.unreachable'
              : 'errors.generic',
    );
  }

  ngOnDestroy(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
