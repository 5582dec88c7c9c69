import type { OrganisationRole, Role } from './roles';
import type { Municipality } from './municipality';

/** Error body of every non-2xx answer (api-v1.md, Conventions). */
export interface ApiErrorDetail {
  /** The field, query parameter, row/column or item the problem is about. */
  field: string;
  message: string;
}
export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
  details?: ApiErrorDetail[];
}

export interface LoginRequest {
  email: string;
  password: string;
  totp?: string;
}
export interface LoginResponse {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export interface MeResponse {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  organisation: { id: string; name: string; municipalities: Municipality[] } | null;
}

export interface CreateOrganisationRequest {
  name: string;
  municipalities: string[];
}
export interface OrganisationResponse {
  id: string;
  name: string;
  municipalities: Municipality[];
  createdAt: string;
}

export interface CreateUserRequest {
  email: string;
  password: string;
  role: OrganisationRole;
  name?: string;
}
export interface UserResponse {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: string;
  lastLoginAt: string | null;
}

export type ComponentState = 'up' | 'down';
export interface HealthResponse {
  /** ok: everything up; degraded: Redis or the worker is away (changes are still accepted); down: no database. */
  status: 'ok' | 'degraded' | 'down';
  checks: {
    database: { status: ComponentState; latencyMs: number | null };
    redis: { status: ComponentState; latencyMs: number | null };
    worker: { status: ComponentState; lastSeenAt: string | null };
  };
  version: string;
}
