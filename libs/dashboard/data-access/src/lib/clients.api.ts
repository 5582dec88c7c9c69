import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import type {
  CaseloadResponse,
  CaseloadSummaryResponse,
  ClientDetail,
  CounselorView,
  CreateClientRequest,
  CreateClientResponse,
  FirstMeetingLine,
  MarkStepRequest,
  RecordDropoutRequest,
  RecordSupportRequest,
  StartServiceRequest,
  RegistrationRequest,
  TrajectoryStateResponse,
  UpdateClientRequest,
} from '@klantmonitor/shared/domain';

export interface CaseloadFilter {
  municipality?: string;
  step?: string;
  stalled?: boolean;
  mine?: boolean;
  status?: string;
  q?: string;
  clientType?: string;
  alerts?: boolean;
  /** Open requests waiting for their first meeting (#26). */
  waiting?: boolean;
  /** Waiting requests past their legal term (#26). */
  overdue?: boolean;
  /** `<field>:<asc|desc>` (CASELOAD_SORT_FIELDS). */
  sort?: string;
  pageSize?: number;
  /** Keyset paging: nextCursor / prevCursor of the answer on screen. */
  after?: string;
  before?: string;
}

/** GET /clients/:id/intake-answers */
export interface IntakeAnswersLatest {
  latest: { answeredOn: string; answers: Record<string, number>; source: 'import' | 'form' } | null;
}

/** POST /clients/:id/intake-answers */
export interface IntakeAnswersSaved {
  answeredOn: string;
  answered: number;
  created: boolean;
  clientType: { code: string; name: string } | null;
}

/** GET /worklist: lines of {clientId, clientRef, ...why}. */
export interface WorklistLine {
  clientId: string;
  clientRef: string;
  /** Whose client it is; shown in the team's list. */
  counselorName: string | null;
}
export interface Worklist {
  scope: 'mine' | 'team';
  today: string;
  /** Waiting requests, overdue first (#26). */
  firstMeetings: (WorklistLine & Omit<FirstMeetingLine, 'clientId' | 'clientRef' | 'counselorName'>)[];
  alerts: (WorklistLine & { alertId: string; kind: string; raisedOn: string; details: unknown })[];
  stalled: (WorklistLine & { stalledSince: string; lastActivityOn: string; currentStep: string })[];
  newResponses: (WorklistLine & { respondedOn: string; phase: string })[];
  expiringInvitations: (WorklistLine & {
    invitationId: string;
    expiresOn: string;
    channel: string | null;
    waveKind: string;
  })[];
  quiet: (WorklistLine & { currentStep: string; lastStepOn: string; days: number })[];
}

@Injectable({ providedIn: 'root' })
export class ClientsApi {
  private readonly http = inject(HttpClient);

  caseload(filter: CaseloadFilter): Observable<CaseloadResponse> {
    return this.http.get<CaseloadResponse>('/api/v1/clients', { params: caseloadParams(filter) });
  }
  /** The whole view (every page) as a file. */
  exportCaseload(filter: CaseloadFilter, format: 'csv' | 'xlsx'): Observable<Blob> {
    const { after: _after, before: _before, pageSize: _size, ...view } = filter;
    return this.http.get('/api/v1/clients', {
      params: caseloadParams({ ...view }).set('format', format),
      responseType: 'blob',
    });
  }
  update(clientId: string, body: UpdateClientRequest): Observable<ClientDetail> {
    return this.http.patch<ClientDetail>(`/api/v1/clients/${encodeURIComponent(clientId)}`, body);
  }
  assignCounselor(trajectoryId: string, userId: string): Observable<TrajectoryStateResponse> {
    return this.http.put<TrajectoryStateResponse>(
      `/api/v1/trajectories/${encodeURIComponent(trajectoryId)}/counselor`,
      { userId },
    );
  }
  /** Corrects the request for help (#26): its date and crisis; the term follows on the server. */
  setRegistration(trajectoryId: string, body: RegistrationRequest): Observable<TrajectoryStateResponse> {
    return this.http.put<TrajectoryStateResponse>(
      `/api/v1/trajectories/${encodeURIComponent(trajectoryId)}/registration`,
      body,
    );
  }
  clientTypes(): Observable<{ code: string; name: string }[]> {
    return this.http.get<{ code: string; name: string }[]>('/api/v1/client-types');
  }
  /** Active counselors of the organisation (whom a client can be handed to). */
  counselors(): Observable<CounselorView[]> {
    return this.http.get<CounselorView[]>('/api/v1/counselors');
  }
  summary(): Observable<CaseloadSummaryResponse> {
    return this.http.get<CaseloadSummaryResponse>('/api/v1/caseload/summary');
  }
  get(id: string): Observable<ClientDetail> {
    return this.http.get<ClientDetail>(`/api/v1/clients/${encodeURIComponent(id)}`);
  }
  create(body: CreateClientRequest): Observable<CreateClientResponse> {
    return this.http.post<CreateClientResponse>('/api/v1/clients', body);
  }
  worklist(scope: 'mine' | 'team'): Observable<Worklist> {
    return this.http.get<Worklist>('/api/v1/worklist', { params: { scope } });
  }
  intakeAnswers(clientId: string): Observable<IntakeAnswersLatest> {
    return this.http.get<IntakeAnswersLatest>(`/api/v1/clients/${encodeURIComponent(clientId)}/intake-answers`);
  }
  saveIntakeAnswers(
    clientId: string,
    body: { answeredOn: string; answers: Record<string, number | null> },
  ): Observable<IntakeAnswersSaved> {
    return this.http.post<IntakeAnswersSaved>(`/api/v1/clients/${encodeURIComponent(clientId)}/intake-answers`, body);
  }
  markStep(trajectoryId: string, body: MarkStepRequest): Observable<TrajectoryStateResponse> {
    return this.http.post<TrajectoryStateResponse>(
      `/api/v1/trajectories/${encodeURIComponent(trajectoryId)}/steps`,
      body,
    );
  }
  withdrawStep(trajectoryId: string, step: string, note?: string): Observable<TrajectoryStateResponse> {
    return this.http.delete<TrajectoryStateResponse>(
      `/api/v1/trajectories/${encodeURIComponent(trajectoryId)}/steps/${encodeURIComponent(step)}`,
      {
        body: note ? { note } : undefined,
      },
    );
  }
  close(trajectoryId: string, body: { date: string; reason: string }): Observable<TrajectoryStateResponse> {
    return this.http.post<TrajectoryStateResponse>(
      `/api/v1/trajectories/${encodeURIComponent(trajectoryId)}/close`,
      body,
    );
  }
  /** Revoke every link to the client's own page ("Mijn traject") of the trajectory. */
  revokePortalLinks(trajectoryId: string): Observable<{ revoked: number }> {
    return this.http.post<{ revoked: number }>(
      `/api/v1/trajectories/${encodeURIComponent(trajectoryId)}/portal-links/revoke`,
      {},
    );
  }

  reopen(trajectoryId: string): Observable<TrajectoryStateResponse> {
    return this.http.post<TrajectoryStateResponse>(
      `/api/v1/trajectories/${encodeURIComponent(trajectoryId)}/reopen`,
      {},
    );
  }
  dropout(trajectoryId: string, body: RecordDropoutRequest): Observable<TrajectoryStateResponse> {
    return this.http.post<TrajectoryStateResponse>(
      `/api/v1/trajectories/${encodeURIComponent(trajectoryId)}/dropout`,
      body,
    );
  }
  support(trajectoryId: string, body: RecordSupportRequest): Observable<TrajectoryStateResponse> {
    return this.http.post<TrajectoryStateResponse>(
      `/api/v1/trajectories/${encodeURIComponent(trajectoryId)}/support`,
      body,
    );
  }
  startService(trajectoryId: string, body: StartServiceRequest): Observable<TrajectoryStateResponse> {
    return this.http.post<TrajectoryStateResponse>(
      `/api/v1/trajectories/${encodeURIComponent(trajectoryId)}/services`,
      body,
    );
  }
  endService(trajectoryId: string, serviceId: string, endedOn: string): Observable<TrajectoryStateResponse> {
    return this.http.post<TrajectoryStateResponse>(
      `/api/v1/trajectories/${encodeURIComponent(trajectoryId)}/services/${encodeURIComponent(serviceId)}/end`,
      { endedOn },
    );
  }
}

function caseloadParams(filter: CaseloadFilter): HttpParams {
  let params = new HttpParams();
  for (const [k, v] of Object.entries(filter)) {
    if (v === undefined || v === '' || v === false || v === null) continue;
    params = params.set(k, String(v));
  }
  return params;
}
