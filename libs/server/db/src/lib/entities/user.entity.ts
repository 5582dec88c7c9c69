import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '@klantmonitor/shared/domain';

/** A staff account. Platform admins have no organisation; everyone else has exactly one. */
@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId!: string | null;

  /** Stored lower-case; unique over all organisations (index uq_users_email). */
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'text' })
  role!: Role;

  /** argon2id hash in PHC string format. */
  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash!: string;

  /** TOTP secret, AES-256-GCM encrypted; null until the user enrols a second factor. */
  @Column({ name: 'totp_secret', type: 'bytea', nullable: true, select: false })
  totpSecret!: Buffer | null;

  @Column({ name: 'totp_enabled_at', type: 'timestamptz', nullable: true })
  totpEnabledAt!: Date | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
