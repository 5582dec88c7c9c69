import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import type { ProfileRow } from '@klantmonitor/shared/metrics';

export interface SegmentationScenario {
  k: number;
  sizes: number[];
  withinSS: number;
  silhouette: number | null;
  calinskiHarabasz: number | null;
}

export interface SegmentationRun {
  id: string;
  state: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  progress: number;
  n: number | null;
  excluded: number | null;
  items: string[] | null;
  error: string | null;
  createdAt: string;
  params?: { kMin: number; kMax: number; restarts: number; seed: number };
  /** k of the organisation's model when it came from this run. */
  activeK?: number | null;
  /** The names and descriptions in use (GET of one run, when activeK is set). */
  activeTypes?: { name: string; description: string | null }[] | null;
  scenarios?: SegmentationScenario[];
}

/** A profile cell as the API sends it (defined once, in shared/metrics). */
export type { ProfileRow } from '@klantmonitor/shared/metrics';

export interface SegmentOutcome {
  segment: number;
  /** Null for a policy advisor where the segment is too small to show (`suppressed`). */
  eligible: number | null;
  reached: number | null;
  share: number | null;
  ciLow?: number | null;
  ciHigh?: number | null;
  dropped: number | null;
  dropoutShare: number | null;
  dropoutCiLow?: number | null;
  dropoutCiHigh?: number | null;
  medianDays: number | null;
  medianCiLow?: number | null;
  medianCiHigh?: number | null;
  suppressed?: boolean;
}

/** A scenario's profile; `suppressedSegments`: segments shown without figures (too small, for a policy advisor). */
export interface SegmentProfile {
  sizes: number[];
  rows: ProfileRow[];
  suppressedSegments?: number[];
}

export interface Transitions {
  types: string[];
  names: string[];
  counts: number[][];
  shares: number[][];
}

/** POST /segmentation/runs: what an analysis runs on. */
export interface StartSegmentationRequest {
  kMin: number;
  kMax: number;
  restarts: number;
  seed?: number;
  items?: string[];
  answeredFrom?: string;
  answeredTo?: string;
}

/** Segmentation runs of the own organisation (docs/api.md "Segmentation"). */
@Injectable({ providedIn: 'root' })
export class SegmentationApi {
  private readonly http = inject(HttpClient);
  private readonly base = '/api/v1/segmentation/runs';

  start(body: StartSegmentationRequest): Observable<{ id: string }> {
    return this.http.post<{ id: string }>(this.base, body);
  }
  cancel(id: string): Observable<{ id: string; state: string }> {
    return this.http.post<{ id: string; state: string }>(`${this.base}/${encodeURIComponent(id)}/cancel`, {});
  }
  runs(): Observable<SegmentationRun[]> {
    return this.http.get<SegmentationRun[]>(this.base);
  }
  run(id: string): Observable<SegmentationRun> {
    return this.http.get<SegmentationRun>(`${this.base}/${encodeURIComponent(id)}`);
  }
  profile(id: string, k: number): Observable<SegmentProfile> {
    return this.http.get<SegmentProfile>(`${this.base}/${encodeURIComponent(id)}/scenarios/${k}/profile`);
  }
  outcomes(id: string, k: number, step: string, withinDays: number): Observable<{ rows: SegmentOutcome[] }> {
    return this.http.get<{ rows: SegmentOutcome[] }>(`${this.base}/${encodeURIComponent(id)}/scenarios/${k}/outcomes`, {
      params: { step, withinDays },
    });
  }
  activate(id: string, k: number, names: string[], descriptions?: string[]): Observable<{ assigned: number }> {
    return this.http.post<{ assigned: number }>(`${this.base}/${encodeURIComponent(id)}/scenarios/${k}/activate`, {
      names,
      ...(descriptions ? { descriptions } : {}),
    });
  }
  transitions(from: string, to: string): Observable<Transitions> {
    return this.http.get<Transitions>('/api/v1/client-types/transitions', {
      params: { from, to },
    });
  }
}
