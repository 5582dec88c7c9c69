import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  OnModuleDestroy,
} from '@nestjs/common';
import { EntityManager, QueryFailedError } from 'typeorm';
import {
  passwordProblem,
  type CounselorView,
  type Municipality,
  type OrganisationResponse,
  type SecurityPolicy,
  type UserResponse,
} from '@klantmonitor/shared/domain';
import { randomBytes } from 'node:crypto';
import { AttemptLimit, AuthUser, fieldError } from '@klantmonitor/api/core';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { hashPassword } from '@klantmonitor/server/crypto';
import { appendAudit, TenantDb, TenantScope } from '@klantmonitor/server/db';
import { requestAnalyticsRecompute } from '@klantmonitor/server/queues';
import { CreateOrganisationDto, CreateUserDto, SecurityPolicyDto, UpdateOrganisationDto } from './dto/organisation.dto';
import { SecurityRepository } from './security.repository';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserRow, UsersRepository } from './users.repository';
import { OrganisationRow, OrganisationsRepository } from './organisations.repository';
import { SsoRepository } from './sso.repository';

const isUniqueViolation = (e: unknown, constraint: string) =>
  e instanceof QueryFailedError &&
  (e.driverError as { code?: string; constraint?: string })?.code === '23505' &&
  (e.driverError as { constraint?: string }).constraint === constraint;

/** Refused new accounts (an address in use) per admin and hour, before 429: no bulk probing. */
export const REFUSED_ACCOUNTS_PER_HOUR = 20;

@Injectable()
export class OrganisationsService implements OnModuleDestroy {
  private readonly refusals: AttemptLimit;

  constructor(
    private readonly db: TenantDb,
    private readonly security: SecurityRepository,
    private readonly users: UsersRepository,
    private readonly organisationsRepo: OrganisationsRepository,
    private readonly sso: SsoRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.refusals = new AttemptLimit(config.redisUrl, {
      keyPrefix: 'km:rl:user-create:refused',
      points: REFUSED_ACCOUNTS_PER_HOUR,
      windowSeconds: 3600,
      what: 'Too many refused new accounts',
      connectionName: 'klantmonitor-api-usercreate',
    });
  }

  onModuleDestroy(): void {
    this.refusals.close();
  }

  /** What a caller may see of organisation `id`: a platform admin any, others only their own. */
  private scopeFor(user: AuthUser, id: string): TenantScope {
    if (user.role === 'platform_admin') return { organisationId: id, platformAdmin: true };
    // Another organisation's id gets the same 404 as an id that does not exist.
    if (user.organisationId !== id) throw new NotFoundException('Organisation not found');
    return { organisationId: id };
  }

  listMunicipalities(): Promise<Municipality[]> {
    return this.organisationsRepo.municipalities(this.db.global);
  }

  async create(user: AuthUser, dto: CreateOrganisationDto, requestId: string): Promise<OrganisationResponse> {
    await this.assertKnownMunicipalities(dto.municipalities);
    try {
      const id = await this.db.run({ organisationId: null, platformAdmin: true }, async (em) => {
        return this.organisationsRepo.create(em, dto.name, dto.municipalities);
      });
      // The audit line belongs to the new organisation, so it is written within its context.
      return await this.db.run({ organisationId: id, platformAdmin: true }, async (em) => {
        await appendAudit(em, {
          organisationId: id,
          actorUserId: user.id,
          actorRole: user.role,
          action: 'organisation.create',
          entityType: 'organisation',
          entityId: id,
          requestId,
          details: { name: dto.name, municipalities: dto.municipalities },
        });
        return this.findOne(em, id);
      });
    } catch (e) {
      throw nameInUse(e);
    }
  }

  /**
   * A platform admin renames an organisation, changes the municipalities it serves, or
   * (de)activates it. Deactivated: nobody of it signs in and open sessions end (database functions
   * and a trigger, sql/platform/organisation-status-v1.sql), and a recompute empties its benchmark
   * facts; reactivated: a recompute brings them back. Audited with what changed.
   */
  async update(
    user: AuthUser,
    id: string,
    dto: UpdateOrganisationDto,
    requestId: string,
  ): Promise<OrganisationResponse> {
    if (dto.name === undefined && dto.municipalities === undefined && dto.active === undefined)
      throw fieldError('name', 'give at least one of name, municipalities, active');
    if (dto.municipalities) await this.assertKnownMunicipalities(dto.municipalities);
    try {
      return await this.db.run({ organisationId: id, platformAdmin: true }, async (em) => {
        const [before] = await this.organisationsRepo.list(em, id);
        if (!before) throw new NotFoundException('Organisation not found');
        let municipalities: { added: string[]; removed: string[] } | undefined;
        if (dto.municipalities) {
          const inUse = await this.organisationsRepo.municipalitiesInUse(em, id, dto.municipalities);
          if (inUse.length) {
            throw new ConflictException({
              message: `The organisation still has trajectories in ${inUse.join(', ')}; those municipalities cannot be removed`,
              code: 'municipality_in_use',
              details: inUse.map((code) => ({
                field: 'municipalities',
                message: `${code} still has trajectories of this organisation`,
                code,
              })),
            });
          }
          municipalities = await this.organisationsRepo.setMunicipalities(em, id, dto.municipalities);
        }
        await this.organisationsRepo.update(em, id, { name: dto.name, active: dto.active });
        const after = await this.findOne(em, id);
        const changes: Record<string, unknown> = {};
        if (before.name !== after.name) changes['name'] = { from: before.name, to: after.name };
        if (municipalities && (municipalities.added.length || municipalities.removed.length))
          changes['municipalities'] = municipalities;
        const wasActive = before.deactivated_at === null;
        if (wasActive !== after.active) {
          changes['active'] = after.active;
          // The benchmark follows at once: the facts are rewritten (empty while deactivated).
          await requestAnalyticsRecompute(em, `organisation:${user.id}`);
        }
        await appendAudit(em, {
          organisationId: id,
          actorUserId: user.id,
          actorRole: user.role,
          action: 'organisation.update',
          entityType: 'organisation',
          entityId: id,
          requestId,
          details: changes,
        });
        return after;
      });
    } catch (e) {
      throw nameInUse(e);
    }
  }

  private async assertKnownMunicipalities(codes: string[]): Promise<void> {
    const unknown = await this.organisationsRepo.unknownMunicipalities(this.db.global, codes);
    if (unknown.length) {
      throw new BadRequestException({
        message: `Unknown municipality: ${unknown.join(', ')}`,
        details: unknown.map((code) => ({
          field: `municipalities[${codes.indexOf(code)}]`,
          message: `${code} is not a current CBS municipality code`,
        })),
      });
    }
  }

  list(user: AuthUser): Promise<OrganisationResponse[]> {
    const scope: TenantScope =
      user.role === 'platform_admin'
        ? { organisationId: null, platformAdmin: true }
        : { organisationId: user.organisationId };
    return this.db.run(scope, async (em) => (await this.organisationsRepo.list(em)).map(toResponse));
  }

  get(user: AuthUser, id: string): Promise<OrganisationResponse> {
    return this.db.run(this.scopeFor(user, id), (em) => this.findOne(em, id));
  }

  async createUser(
    user: AuthUser,
    organisationId: string,
    dto: CreateUserDto,
    requestId: string,
  ): Promise<{ id: string; invited: boolean }> {
    const scope = this.scopeFor(user, organisationId);
    await this.refusals.assertAllowed(user.id);
    // SSO only: an account of such a domain signs in with its organisation's provider, never with a
    // password; it gets none (a random one nobody knows) and no invitation mail.
    const ssoOnly = await this.sso.ssoOnlyEmail(this.db.global, dto.email);
    if (ssoOnly && dto.password !== undefined)
      throw fieldError(
        'password',
        "must be left out: this address signs in with its organisation's own sign-in (single sign-on only)",
      );
    if (dto.password !== undefined) {
      const problem = passwordProblem(dto.password, dto.email);
      if (problem) throw fieldError('password', problem);
    }
    // Without a password the person is invited: an e-mail with a link to choose one (7 days). Until
    // then the account has a password nobody knows (a random one), so sign-in works as for anyone.
    const invited = dto.password === undefined && !ssoOnly;
    const hash = await hashPassword(dto.password ?? randomBytes(32).toString('base64url'));
    try {
      return await this.db.run(scope, async (em) => {
        await this.findOne(em, organisationId);
        const id = await this.users.create(em, organisationId, {
          email: dto.email,
          name: dto.name ?? null,
          role: dto.role,
          passwordHash: hash,
        });
        if (invited) await this.users.requestInvitation(em, dto.email);
        await appendAudit(em, {
          organisationId,
          actorUserId: user.id,
          actorRole: user.role,
          action: 'user.create',
          entityType: 'user',
          entityId: id,
          requestId,
          details: { role: dto.role, invited, ...(ssoOnly ? { ssoOnly } : {}) },
        });
        return { id, invited };
      });
    } catch (e) {
      if (isUniqueViolation(e, 'uq_users_email')) {
        // The same answer whether the address is in use here or in another organisation, counted
        // and audited: an admin cannot use this form to find out who works where (security review, #11).
        await this.refusals.failed(user.id);
        await this.db.run(scope, (em) =>
          appendAudit(em, {
            organisationId,
            actorUserId: user.id,
            actorRole: user.role,
            action: 'user.create_refused',
            requestId,
            details: { reason: 'email_unavailable' },
          }),
        );
        throw new ConflictException({
          message: 'This e-mail address cannot be used for a new account; use another one',
          code: 'email_unavailable',
          details: [{ field: 'email', message: 'cannot be used for a new account' }],
        });
      }
      throw e;
    }
  }

  /** Which roles of this organisation must use two-step verification (the platform's add to them). */
  securityPolicy(
    user: AuthUser,
    organisationId: string,
  ): Promise<SecurityPolicy & { platformTotpRequiredRoles: SecurityPolicy['totpRequiredRoles'] }> {
    return this.db.run(this.scopeFor(user, organisationId), async (em) => {
      const roles = await this.security.organisationRoles(em, organisationId);
      if (roles === null) throw new NotFoundException('Organisation not found');
      return { totpRequiredRoles: roles, platformTotpRequiredRoles: await this.security.platformRoles(em) };
    });
  }

  /** Sets the roles that must use it; applies from each person's next sign-in. Audited. */
  setSecurityPolicy(
    user: AuthUser,
    organisationId: string,
    dto: SecurityPolicyDto,
    requestId: string,
  ): Promise<SecurityPolicy> {
    return this.db.run(this.scopeFor(user, organisationId), async (em) => {
      const previous = await this.security.organisationRoles(em, organisationId);
      if (previous === null) throw new NotFoundException('Organisation not found');
      await this.security.setOrganisationRoles(em, organisationId, dto.totpRequiredRoles);
      await appendAudit(em, {
        organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'organisation.security.update',
        entityType: 'organisation',
        entityId: organisationId,
        requestId,
        details: { totpRequiredRoles: dto.totpRequiredRoles, previous },
      });
      return { totpRequiredRoles: dto.totpRequiredRoles };
    });
  }

  /** The platform-wide roles that must use two-step verification, in every organisation. */
  platformSecurityPolicy(): Promise<SecurityPolicy> {
    return this.db.run({ organisationId: null, platformAdmin: true }, async (em) => ({
      totpRequiredRoles: await this.security.platformRoles(em),
    }));
  }

  setPlatformSecurityPolicy(user: AuthUser, dto: SecurityPolicyDto, requestId: string): Promise<SecurityPolicy> {
    return this.db.run({ organisationId: null, platformAdmin: true }, async (em) => {
      const previous = await this.security.platformRoles(em);
      await this.security.setPlatformRoles(em, dto.totpRequiredRoles);
      await appendAudit(em, {
        organisationId: null,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'platform.security.update',
        requestId,
        details: { totpRequiredRoles: dto.totpRequiredRoles, previous },
      });
      return { totpRequiredRoles: dto.totpRequiredRoles };
    });
  }

  /** The caller's organisation's active counselors (for handing a client to a colleague). */
  counselors(user: AuthUser): Promise<CounselorView[]> {
    return this.db.run({ organisationId: user.organisationId }, (em) => this.users.counselors(em));
  }

  listUsers(user: AuthUser, organisationId: string): Promise<UserResponse[]> {
    return this.db.run(this.scopeFor(user, organisationId), async (em) => {
      await this.findOne(em, organisationId);
      return (await this.users.list(em, organisationId)).map(toUserResponse);
    });
  }

  /**
   * Changes a colleague's role, name or whether they may sign in. A change of role or a
   * deactivation ends every session of that account at once. Admins cannot change their own role
   * or deactivate themselves (an organisation would lock itself out). Audited with the changes.
   */
  updateUser(
    user: AuthUser,
    organisationId: string,
    userId: string,
    dto: UpdateUserDto,
    requestId: string,
  ): Promise<UserResponse> {
    if (dto.role === undefined && dto.active === undefined && dto.name === undefined)
      throw fieldError('role', 'give at least one of role, active, name');
    if (userId === user.id && dto.role !== undefined)
      throw fieldError('role', 'cannot be changed for your own account');
    if (userId === user.id && dto.active === false) throw fieldError('active', 'cannot be false for your own account');
    return this.db.run(this.scopeFor(user, organisationId), async (em) => {
      const before = await this.users.get(em, organisationId, userId);
      if (!before) throw new NotFoundException('User not found');
      const after = await this.users.update(em, organisationId, userId, dto);
      if (!after) throw new NotFoundException('User not found');
      const changes: Record<string, unknown> = {};
      if (before.role !== after.role) changes['role'] = { from: before.role, to: after.role };
      if (before.active !== after.active) changes['active'] = after.active;
      if (before.name !== after.name) changes['name'] = true;
      await appendAudit(em, {
        organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'user.update',
        entityType: 'user',
        entityId: userId,
        requestId,
        details: changes,
      });
      return toUserResponse(after);
    });
  }

  /**
   * Turns a colleague's second factor off (a lost or new phone): the user sets it up again after
   * signing in with the password. Organisation admins for their own organisation, platform admins
   * for any; another organisation's user is "not found".
   */
  resetTotp(user: AuthUser, organisationId: string, userId: string, requestId: string): Promise<void> {
    // One's own second factor goes off only with password and code (POST /auth/totp/disable): a stolen
    // session alone must not be able to remove it.
    if (userId === user.id)
      throw new ForbiddenException({
        message: `This is your own account (${user.id}): turn your two-step verification off on your account page, with your password and a code`,
        code: 'own_account',
      });
    return this.db.run(this.scopeFor(user, organisationId), async (em) => {
      if (!(await this.users.resetTotp(em, organisationId, userId))) throw new NotFoundException('User not found');
      await appendAudit(em, {
        organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'user.totp_reset',
        entityType: 'user',
        entityId: userId,
        requestId,
      });
    });
  }

  /** Removes an account's link to its provider's user (audited); the next SSO sign-in links again. */
  unlinkSso(user: AuthUser, organisationId: string, userId: string, requestId: string): Promise<void> {
    return this.db.run(this.scopeFor(user, organisationId), async (em) => {
      if (!(await this.users.get(em, organisationId, userId))) throw new NotFoundException('User not found');
      const link = await this.sso.unlink(em, userId);
      if (!link)
        throw new NotFoundException({
          message: 'This account is not linked to a user of the identity provider',
          code: 'sso_not_linked',
        });
      await appendAudit(em, {
        organisationId,
        actorUserId: user.id,
        actorRole: user.role,
        action: 'user.sso_unlinked',
        entityType: 'user',
        entityId: userId,
        requestId,
        details: { issuer: link.issuer },
      });
    });
  }

  private async findOne(em: EntityManager, id: string): Promise<OrganisationResponse> {
    const [row] = await this.organisationsRepo.list(em, id);
    if (!row) throw new NotFoundException('Organisation not found');
    return toResponse(row);
  }
}

/** A unique-name violation as the 409 naming the field; anything else as it was. */
function nameInUse(e: unknown): unknown {
  if (!isUniqueViolation(e, 'uq_organisations_name')) return e;
  return new ConflictException({
    message: 'An organisation with this name already exists',
    code: 'name_in_use',
    details: [{ field: 'name', message: 'is already in use' }],
  });
}

function toResponse(row: OrganisationRow): OrganisationResponse {
  return {
    id: row.id,
    name: row.name,
    municipalities: row.municipalities,
    createdAt: new Date(row.created_at).toISOString(),
    active: row.deactivated_at === null,
  };
}

function toUserResponse(r: UserRow): UserResponse {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    createdAt: r.created_at.toISOString(),
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    totpEnabled: r.totp_enabled,
    active: r.active,
    ssoLinkedAt: r.sso_linked_at?.toISOString() ?? null,
  };
}
