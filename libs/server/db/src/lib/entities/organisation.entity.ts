import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A tenant: a municipality's own team, a regional service or a foundation. */
@Entity({ name: 'organisations' })
@Unique('uq_organisations_name', ['name'])
export class Organisation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Smallest cell shown in analytics (docs/metrics.md: never below 5). */
  @Column({ name: 'min_cell', type: 'integer', default: 10 })
  minCell!: number;

  /** Set by a platform admin: nobody signs in, no invitations, out of the benchmark. */
  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
