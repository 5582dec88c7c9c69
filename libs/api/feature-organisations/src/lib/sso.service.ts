import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager, QueryFailedError } from 'typeorm';
import { AuthUser, fieldError, issuerProblemResolved } from '@klantmonitor/api/core';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { SecretBox } from '@klantmonitor/server/crypto';
import { appendAudit, TenantDb, type TenantScope } from '@klantmonitor/server/db';
import { SsoSettingsDto, SsoSettingsView } from './dto/sso.dto';
import { OrganisationsRepository } from './organisations.repository';
import { SsoRepository, type SsoRow } from './sso.repository';

/**
 * Single sign-on settings of an organisation (docs/api.md "Single sign-on", docs/security.md "Sign-in
 * identity"): the OpenID Connect provider, the client, its secret (sealed, never given back), the
 * e-mail domains whose staff sign in there, whether the provider's multi-factor counts and whether
 * passwords are off. Set and changed by the organisation's own admin only; a platform admin may look
 * and switch it off (an emergency stop), never point it at another provider (also refused by
 * row-level security). Every change is audited with what changed, never the secret.
 */
@Injectable()
export class SsoService {
  private readonly box: SecretBox;

  constructor(
    private readonly db: TenantDb,
    private readonly sso: SsoRepository,
    private readonly organisations: OrganisationsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.box = new SecretBox(config.encryptionKey);
  }

  get(user: AuthUser, organisationId: string): Promise<SsoSettingsView> {
    return this.db.run(this.scope(user, organisationId), async (em) => {
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
    if (user.role !== 'org_admin' || user.organisationId !== organisationId) {
      if (user.role === 'platform_admin')
        throw new ForbiddenException({
          message:
            "Only the organisation's own admin sets its single sign-on; a platform admin may view it or switch it off",
          code: 'sso_own_organisation',
        });
      throw new NotFoundException('Organisation not found');
    }
    const problem = await issuerProblemResolved(dto.issuer, this.config.ssoLoopbackIssuer);
    if (problem) throw fieldError('issuer', problem);
    try {
      return await this.db.run({ organisationId }, async (em) => {
        await this.assertOrganisation(em, organisationId);
        const before = await this.sso.get(em, organisationId);
        if (!before && dto.clientSecret === undefined)
          throw fieldError('clientSecret', 'is required when single sign-on is set up for the first time');
        const after = {
          issuer: dto.issuer,
          clientId: dto.clientId,
          emailDomains: [...dto.emailDomains].sort(),
          trustProviderMfa: dto.trustProviderMfa ?? before?.trust_provider_mfa ?? false,
          ssoOnly: dto.ssoOnly ?? before?.sso_only ?? false,
        };
        await this.sso.set(em, organisationId, {
          ...after,
          clientSecretEnc: dto.clientSecret === undefined ? null : this.box.seal(dto.clientSecret),
          by: user.id,
        });
        // Accounts bound to another provider's users cannot sign in with this one: their links go.
        const linksRemoved =
          before && before.issuer !== dto.issuer ? await this.sso.unlinkOtherIssuers(em, dto.issuer) : 0;
        await appendAudit(em, {
          organisationId,
          actorUserId: user.id,
          actorRole: user.role,
          action: before ? 'organisation.sso.update' : 'organisation.sso.create',
          entityType: 'organisation',
          entityId: organisationId,
          requestId,
          details: {
            changed: changes(before, after, dto.clientSecret !== undefined),
            ...after,
            ...(linksRemoved ? { linksRemoved } : {}),
          },
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
    return this.db.run(this.scope(user, organisationId), async (em) => {
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

  /** A platform admin any organisation; an org admin only their own (another's id: 404). */
  private scope(user: AuthUser, organisationId: string): TenantScope {
    if (user.role === 'platform_admin') return { organisationId, platformAdmin: true };
    if (user.organisationId !== organisationId) throw new NotFoundException('Organisation not found');
    return { organisationId };
  }

  private async assertOrganisation(em: EntityManager, id: string): Promise<void> {
    if ((await this.organisations.list(em, id)).length === 0) throw new NotFoundException('Organisation not found');
  }
}

/** The names of the settings that changed (the secret only as "changed", never its value). */
function changes(
  before: SsoRow | null,
  after: { issuer: string; clientId: string; emailDomains: string[]; trustProviderMfa: boolean; ssoOnly: boolean },
  secret: boolean,
): string[] {
  if (!before) return ['issuer', 'clientId', 'clientSecret', 'emailDomains', 'trustProviderMfa', 'ssoOnly'];
  const out: string[] = [];
  if (before.issuer !== after.issuer) out.push('issuer');
  if (before.client_id !== after.clientId) out.push('clientId');
  if (secret) out.push('clientSecret');
  if (before.email_domains.join(' ') !== after.emailDomains.join(' ')) out.push('emailDomains');
  if (before.trust_provider_mfa !== after.trustProviderMfa) out.push('trustProviderMfa');
  if (before.sso_only !== after.ssoOnly) out.push('ssoOnly');
  return out;
}

const view = (r: SsoRow): SsoSettingsView => ({
  issuer: r.issuer,
  clientId: r.client_id,
  emailDomains: r.email_domains,
  hasClientSecret: true,
  trustProviderMfa: r.trust_provider_mfa,
  ssoOnly: r.sso_only,
  updatedAt: r.updated_at.toISOString(),
});
