import { HttpClient, HttpEvent } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import type { ImportProgress, ImportResult } from '@klantmonitor/shared/domain';

export type ImportKind = 'trajectories' | 'assessments' | 'intake-answers';

@Injectable({ providedIn: 'root' })
export class ImportsApi {
  private readonly http = inject(HttpClient);

  /** Uploads with progress events; `progressId` lets the server report its own progress too. */
  upload(kind: ImportKind, file: File, dryRun: boolean, progressId: string): Observable<HttpEvent<ImportResult>> {
    const form = new FormData();
    form.append('file', file, file.name);
    return this.http.post<ImportResult>(`/api/v1/imports/${kind}`, form, {
      params: { dryRun: String(dryRun), progressId },
      reportProgress: true,
      observe: 'events',
    });
  }

  /** A file to fill in: CSV, or XLSX with sheets that explain the columns and list the codes. */
  template(kind: ImportKind, format: 'csv' | 'xlsx'): Observable<Blob> {
    return this.http.get(`/api/v1/imports/templates/${kind}`, { params: { format }, responseType: 'blob' });
  }

  progress(progressId: string): Observable<ImportProgress> {
    return this.http.get<ImportProgress>(`/api/v1/imports/progress/${encodeURIComponent(progressId)}`);
  }
}
