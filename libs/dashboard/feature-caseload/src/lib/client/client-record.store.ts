import { Injectable, inject, signal } from '@angular/core';
import { TranslateService } from '@ngx-translate/core';
import { firstValueFrom, Observable } from 'rxjs';
import { formatDate, type ClientDetail, type CounselorView } from '@klantmonitor/shared/domain';
import { apiError, ClientsApi } from '@klantmonitor/dashboard/data-access';

/** A message of a card: said there, next to what was used. */
export interface CardFeedback {
  kind: 'notice' | 'error';
  text: string;
}

/**
 * One client record as its cards share it (#25 split the page): the record, the colleagues it can
 * be handed to, and how an action runs (busy, send, load again, say the outcome in Dutch). Provided
 * by ClientPage, so every card of one page sees the same record.
 */
@Injectable()
export class ClientRecordStore {
  private readonly api = inject(ClientsApi);
  private readonly translate = inject(TranslateService);
  readonly client = signal<ClientDetail | null>(null);
  /** The record could not be loaded (in Dutch). */
  readonly loadError = signal<string | null>(null);
  readonly busy = signal(false);
  readonly counselors = signal<CounselorView[]>([]);
  private id: string | null = null;

  constructor() {
    this.api.counselors().subscribe({
      next: (list) => this.counselors.set(list),
      error: () => this.counselors.set([]),
    });
  }

  trajectoryId(): string {
    return this.client()?.trajectory.id ?? '';
  }

  async load(id: string): Promise<void> {
    this.id = id;
    try {
      this.client.set(await firstValueFrom(this.api.get(id)));
      this.loadError.set(null);
    } catch (e) {
      this.loadError.set(this.errorText(e));
    }
  }

  reload(): Promise<void> {
    return this.id ? this.load(this.id) : Promise.resolve();
  }

  /**
   * Sends one change and loads the record again: null when it worked, else the refusal as caught
   * (the card decides where its message goes).
   */
  async run(request: Observable<unknown>): Promise<unknown | null> {
    this.busy.set(true);
    try {
      await firstValueFrom(request);
      await this.reload();
      return null;
    } catch (e) {
      return e ?? new Error('failed');
    } finally {
      this.busy.set(false);
    }
  }

  /** `run`, with the outcome as a card's message ("Opgeslagen." or the refusal in Dutch). */
  async act(request: Observable<unknown>, saved = 'client.saved'): Promise<CardFeedback> {
    const failed = await this.run(request);
    return failed === null ? { kind: 'notice', text: this.t(saved) } : { kind: 'error', text: this.errorText(failed) };
  }

  /** "Deze datum ligt na de stap ..." for a step date out of order (the API's code and step). */
  orderText(code: string, step: string, date: string): string {
    return this.t(`client.errors.${code}`, { step: this.t(`steps.${step}`), date: formatDate(date) });
  }

  /**
   * A refusal in the UI's language: by the field the API names (client.errors.<field>), else by
   * status; never the API's English.
   */
  errorText(e: unknown): string {
    const err = apiError(e);
    const detail = err.details?.[0] as { field?: string; message?: string; step?: string; date?: string } | undefined;
    const field = detail?.field;
    if (field === 'date' && detail?.step && detail.date && detail.message)
      return this.orderText(detail.message, detail.step, detail.date);
    if (field) {
      const key = `client.errors.${field}`;
      const text = this.t(key);
      if (text !== key) return text;
    }
    if (err.statusCode === 0) return this.t('login.unreachable');
    if (err.statusCode === 404) return this.t('client.errors.notFound');
    if (err.statusCode === 409) return this.t('client.errors.conflict');
    if (err.statusCode === 400 || err.statusCode === 422) return this.t('client.errors.invalid');
    return this.t('errors.generic');
  }

  t(key: string, params?: Record<string, unknown>): string {
    return this.translate.instant(key, params) as string;
  }
}
