import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import type {
  CreateOrganisationRequest,
  CreateUserRequest,
  Municipality,
  OrganisationResponse,
  OrganisationRole,
  SecurityPolicy,
  SsoSettings,
  SsoSettingsRequest,
  UpdateOrganisationRequest,
  UserResponse,
} from '@klantmonitor/shared/domain';

@Injectable({ providedIn: 'root' })
export class OrganisationsApi {
  private readonly http = inject(HttpClient);

  municipalities(): Observable<Municipality[]> {
    return this.http.get<Municipality[]>('/api/v1/municipalities');
  }
  list(): Observable<OrganisationResponse[]> {
    return this.http.get<OrganisationResponse[]>('/api/v1/organisations');
  }
  get(id: string): Observable<OrganisationResponse> {
    return this.http.get<OrganisationResponse>(`/api/v1/organisations/${encodeURIComponent(id)}`);
  }
  create(body: CreateOrganisationRequest): Observable<OrganisationResponse> {
    return this.http.post<OrganisationResponse>('/api/v1/organisations', body);
  }
  /** Platform admin: rename, change municipalities, deactivate or activate again. */
  update(id: string, change: UpdateOrganisationRequest): Observable<OrganisationResponse> {
    return this.http.patch<OrganisationResponse>(`/api/v1/organisations/${encodeURIComponent(id)}`, change);
  }
  users(organisationId: string): Observable<UserResponse[]> {
    return this.http.get<UserResponse[]>(`/api/v1/organisations/${encodeURIComponent(organisationId)}/users`);
  }
  updateUser(
    organisationId: string,
    userId: string,
    change: { role?: OrganisationRole; active?: boolean; name?: string },
  ): Observable<UserResponse> {
    return this.http.patch<UserResponse>(
      `/api/v1/organisations/${encodeURIComponent(organisationId)}/users/${encodeURIComponent(userId)}`,
      change,
    );
  }
  resetTotp(organisationId: string, userId: string): Observable<void> {
    return this.http.delete<void>(
      `/api/v1/organisations/${encodeURIComponent(organisationId)}/users/${encodeURIComponent(userId)}/totp`,
    );
  }
  /** Remove an account's link to its user at the organisation's identity provider. */
  unlinkSso(organisationId: string, userId: string): Observable<void> {
    return this.http.delete<void>(
      `/api/v1/organisations/${encodeURIComponent(organisationId)}/users/${encodeURIComponent(userId)}/sso-link`,
    );
  }
  /** The organisation's single sign-on settings; 404 (code sso_not_set) when there are none. */
  sso(organisationId: string): Observable<SsoSettings> {
    return this.http.get<SsoSettings>(`/api/v1/organisations/${encodeURIComponent(organisationId)}/sso`);
  }
  setSso(organisationId: string, body: SsoSettingsRequest): Observable<SsoSettings> {
    return this.http.put<SsoSettings>(`/api/v1/organisations/${encodeURIComponent(organisationId)}/sso`, body);
  }
  removeSso(organisationId: string): Observable<void> {
    return this.http.delete<void>(`/api/v1/organisations/${encodeURIComponent(organisationId)}/sso`);
  }
  /** The roles that must use two-step verification: this organisation's choice (and the platform's). */
  security(
    organisationId: string,
  ): Observable<SecurityPolicy & { platformTotpRequiredRoles: SecurityPolicy['totpRequiredRoles'] }> {
    return this.http.get<SecurityPolicy & { platformTotpRequiredRoles: SecurityPolicy['totpRequiredRoles'] }>(
      `/api/v1/organisations/${encodeURIComponent(organisationId)}/security`,
    );
  }
  setSecurity(organisationId: string, body: SecurityPolicy): Observable<SecurityPolicy> {
    return this.http.put<SecurityPolicy>(`/api/v1/organisations/${encodeURIComponent(organisationId)}/security`, body);
  }
  platformSecurity(): Observable<SecurityPolicy> {
    return this.http.get<SecurityPolicy>('/api/v1/platform/security');
  }
  setPlatformSecurity(body: SecurityPolicy): Observable<SecurityPolicy> {
    return this.http.put<SecurityPolicy>('/api/v1/platform/security', body);
  }
  createUser(organisationId: string, body: CreateUserRequest): Observable<{ id: string }> {
    return this.http.post<{ id: string }>(`/api/v1/organisations/${encodeURIComponent(organisationId)}/users`, body);
  }
}
