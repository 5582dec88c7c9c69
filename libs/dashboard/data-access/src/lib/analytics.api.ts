import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';

export interface AnalyticsSettings {
  minCell: number;
}

/** Analytics settings of the organisation (small cells). */
@Injectable({ providedIn: 'root' })
export class AnalyticsApi {
  private readonly http = inject(HttpClient);

  settings(): Observable<AnalyticsSettings> {
    return this.http.get<AnalyticsSettings>('/api/v1/analytics/settings');
  }
  updateSettings(body: AnalyticsSettings): Observable<AnalyticsSettings> {
    return this.http.put<AnalyticsSettings>('/api/v1/analytics/settings', body);
  }
}
