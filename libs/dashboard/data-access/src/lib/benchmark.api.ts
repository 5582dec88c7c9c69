import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import type { AnalyticsAnswer, BenchmarkEndpoint } from '@klantmonitor/shared/domain';

export interface BenchmarkOptions {
  organisation: string;
  minCell: number;
  /** `protected`: another organisation serves it or has clients there (figures in windows only). */
  municipalities: { code: string; name: string; own: boolean; protected?: boolean }[];
  clientTypes: string[];
  /** The caller's own names of its client types (code -> name). */
  clientTypeNames?: Record<string, string>;
  items: string[];
  /** The windows protected figures come in: ended quarters (latest first) and years. */
  windows?: { quarters: string[]; years: string[] };
}

/** A row of any analytics answer: the page reads the fields each chart needs. */
export type AnswerRow = Record<string, unknown> & { suppressed: boolean };
export type Answer = AnalyticsAnswer<AnswerRow, AnswerRow>;

export interface ComparisonGroupItem {
  id: string;
  name: string;
  municipalities: string[];
  scope: 'platform' | 'organisation';
}

export interface SavedViewItem {
  id: string;
  name: string;
  query: string;
}

/** The analytics API as the benchmark page and the start page's tiles use it. */
@Injectable({ providedIn: 'root' })
export class BenchmarkApi {
  private readonly http = inject(HttpClient);

  options(): Observable<BenchmarkOptions> {
    return this.http.get<BenchmarkOptions>('/api/v1/analytics/options');
  }

  answer(endpoint: BenchmarkEndpoint, params: Record<string, string>): Observable<Answer> {
    return this.http.get<Answer>(`/api/v1/analytics/${endpoint}`, {
      params: new HttpParams({ fromObject: params }),
    });
  }

  groups(): Observable<ComparisonGroupItem[]> {
    return this.http.get<ComparisonGroupItem[]>('/api/v1/comparison-groups');
  }

  views(): Observable<SavedViewItem[]> {
    return this.http.get<SavedViewItem[]>('/api/v1/saved-views');
  }

  saveView(name: string, query: string): Observable<SavedViewItem> {
    return this.http.post<SavedViewItem>('/api/v1/saved-views', { name, query });
  }

  removeView(id: string): Observable<void> {
    return this.http.delete<void>(`/api/v1/saved-views/${encodeURIComponent(id)}`);
  }

  /** A download (CSV, XLSX of one answer, or the PDF report) as a Blob, with the sign-in token. */
  download(path: string, params: Record<string, string>): Observable<Blob> {
    return this.http.get(`/api/v1/analytics/${path}`, {
      params: new HttpParams({ fromObject: params }),
      responseType: 'blob',
    });
  }
}
