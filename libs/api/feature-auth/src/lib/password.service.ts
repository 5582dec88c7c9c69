import { Injectable } from '@nestjs/common';
import { AuthUser, fieldError } from '@klantmonitor/api/core';
import { hashPassword, verifyPassword } from '@klantmonitor/server/crypto';
import { TenantDb } from '@klantmonitor/server/db';
import { ChangePasswordDto } from './dto/password.dto';
import { PasswordChangeLimit } from './login-rate-limit';
import { checkOwnPassword } from './credentials';
import { auditOwnAccount } from './own-account-audit';
import { passwordProblem } from '@klantmonitor/shared/domain';
import { authRepository } from './auth.repository';

/**
 * Changing one's own password: the current one first (wrong ones count per account, 10 in 15
 * minutes), the new one by the password rules. Every session of the account ends, this one too
 * (the users trigger): the dashboard signs in again. Audited, right or wrong.
 */
@Injectable()
export class PasswordService {
  constructor(
    private readonly db: TenantDb,
    private readonly limit: PasswordChangeLimit,
  ) {}

  async change(user: AuthUser, dto: ChangePasswordDto, requestId: string): Promise<void> {
    await this.limit.assertAllowed(user.id);
    const me = await checkOwnPassword(this.db, user.id, dto.currentPassword);
    if (!me) {
      await this.limit.wrong(user.id);
      await this.db.run({ organisationId: user.organisationId }, (em) =>
        auditOwnAccount(em, user, 'auth.password_change_failed', requestId, {
          reason: 'wrong_password',
        }),
      );
      throw fieldError('currentPassword', 'is not right');
    }
    const problem = passwordProblem(dto.newPassword, me.email);
    if (problem) throw fieldError('newPassword', problem);
    if (await verifyPassword(me.hash, dto.newPassword))
      throw fieldError('newPassword', 'must differ from your current password');
    const hash = await hashPassword(dto.newPassword);
    await this.db.run({ organisationId: user.organisationId }, async (em) => {
      await authRepository.setPassword(em, user.id, hash);
      await auditOwnAccount(em, user, 'auth.password_changed', requestId);
    });
  }
}
