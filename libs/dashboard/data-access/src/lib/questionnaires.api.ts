import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import type {
  ClientPortalResponse,
  QuestionnaireScheduleView,
  RespondQuestionnaireResponse,
  RespondRequest,
  RespondResult,
  UpdateQuestionnaireScheduleRequest,
} from '@klantmonitor/shared/domain';

/** The client answer API (no account) and the organisation's questionnaire schedule. */
@Injectable({ providedIn: 'root' })
export class QuestionnairesApi {
  private readonly http = inject(HttpClient);

  questionnaire(token: string, lang: 'nl' | 'en'): Observable<RespondQuestionnaireResponse> {
    return this.http.get<RespondQuestionnaireResponse>(`/api/v1/respond/${encodeURIComponent(token)}`, {
      params: { lang },
    });
  }
  /** "Mijn traject": the client's own progress behind /mijn/<token>. */
  portal(token: string, lang: 'nl' | 'en'): Observable<ClientPortalResponse> {
    return this.http.get<ClientPortalResponse>(`/api/v1/client-portal/${encodeURIComponent(token)}`, {
      params: { lang },
    });
  }
  respond(token: string, body: RespondRequest): Observable<RespondResult> {
    return this.http.post<RespondResult>(`/api/v1/respond/${encodeURIComponent(token)}`, body);
  }
  schedule(): Observable<QuestionnaireScheduleView> {
    return this.http.get<QuestionnaireScheduleView>('/api/v1/questionnaire-schedule');
  }
  updateSchedule(body: UpdateQuestionnaireScheduleRequest): Observable<QuestionnaireScheduleView> {
    return this.http.put<QuestionnaireScheduleView>('/api/v1/questionnaire-schedule', body);
  }
  resolveAlert(id: string): Observable<{ id: string; resolved: boolean }> {
    return this.http.post<{ id: string; resolved: boolean }>(`/api/v1/alerts/${encodeURIComponent(id)}/resolve`, {});
  }
}
