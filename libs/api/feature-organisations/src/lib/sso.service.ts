import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AuthUser, fieldError } from '@klantmonitor/api/core';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { SecretBox } from '@klantmonitor/server/crypto';
import { appendAudit, TenantDb } from '@klantmonitor/server/db';
import { SsoSettingsDto, SsoSettingsView } from './dto/sso.dto';
import { OrganisationsRepository } from './organisations.repository';
import { SsoRepository, type SsoRow } from './sso.repository';

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Whether an issuer may be used: https, or http on a loopback address only (the tests' and the
 * demo's own provider). A real provider over plain http would let anyone on the path change who
 * signs in. Returns the problem, or null.
 */
export function issuerProblem(issuer: string): string | null {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'must be a URL such as https://login.example.nl';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return null;
  return 'must start with https:// (http:// only on a loopback address such as 127.0.0.1)';
}

/**
 * Single sign-on settings of an organisation (docs/api.md "Single sign-on"), for platform admins:
 * the OpenID Connect provider, the client, its secret (sealed, never given back) and the e-mail
 * domains whose staff sign in there. Every change is audited without the secret.
 */
@Injectable()
export class SsoService {
  private readonly box: SecretBox;

  constructor(
    private readonly db: TenantDb,
    private readonly sso: SsoRepository,
    private readonly organisations: OrganisationsRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.box = new SecretBox(config.encryptionKey);
  }

  get(organisationId: string): Promise<SsoSettingsView> {
    return this.db.run({ organisationId, platformAdmin: true }, async (em) => {
      await this.assertOrganisation(em, organisationId);
      const row = await this.sso.get(em, organisationId);
      if (!row)
        throw new NotFoundException({
          message: 'No single sign-on is set up for this organisation',
          code: 'sso_not_set',
        });
      return view(row);
    });
  }

  async set(user: AuthUser, organisationId: string, dto: SsoSettingsDto, requestId: string): Promise<SsoSettingsView> {
    const problem = issuerProblem(dto.issuer);
    if (problem) throw fieldError('issuer', problem);
    try {
      return await this.db.run({ organisationId, platformAdmin: true }, async (em) => {
        await this.assertOrganisation(em, organisationId);
        await this.sso.set(em, organisationId, {
          issuer: dto.issuer,
          clientId: dto.clientId,
          clientSecretEnc: this.box.seal(dto.clientSecret),
          emailDomains: dto.emailDomains,
          by: user.id,
        });
        await appendAudit(em, {
          organisationId,
          actorUserId: user.id,
          actorRole: user.role,
          action: 'organisation.sso.update',
          entityType: 'organisation',
          entityId: organisationId,
          requestId,
          details: { issuer: dto.issuer, clientId: dto.clientId, emailDomains: dto.emailDomains },
        });
        return view((await this.sso.get(em, organisationId)) as SsoRow);
      });
    } catch (e) {
      const err = e as QueryFailedError & { driverError?: { constraint?: string; detail?: string } };
      if (err instanceof QueryFailedError && err.driverError?.constraint === 'organisation_sso_domains_pkey') {
        const domain = /\(domain\)=\(([^)]+)\)/.exec(err.driverError.detail ?? '')?.[1];
        throw new ConflictException({
          message: `${domain ?? 'A domain'} already signs in with another organisation's provider`,
          code: 'domain_in_use',
          details: [{ field: 'emailDomains', message: `${domain ?? 'a domain'} is in use by another organisation` }],
        });
      }
      throw e;
    }
  }

  remove(user: AuthUser, organisationId: string, requestId: string): Promise<void> {
    return this.db.run({ organisationId, platformAdmin: true }, async (em) => {
      await this.assertOrganisation(em, organisationId);
      if (!(await this.sso.remove(em, organisationId)))
        throw new NotFoundException({
          message: 'No single sign-on is set up for this organisation',
          code: 'sso_not_set',
        });
      await appendAudit(em, {
        organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'organisation.sso.remove',
        entityType: 'organisation',
        entityId: organisationId,
        requestId,
      });
    });
  }

  private async assertOrganisation(em: Parameters<OrganisationsRepository['list']>[0], id: string): Promise<void> {
    if ((await this.organisations.list(em, id)).length === 0) throw new NotFoundException('Organisation not found');
  }
}

const view = (r: SsoRow): SsoSettingsView => ({
  issuer: r.issuer,
  clientId: r.client_id,
  emailDomains: r.email_domains,
  hasClientSecret: true,
  updatedAt: r.updated_at.toISOString(),
});
