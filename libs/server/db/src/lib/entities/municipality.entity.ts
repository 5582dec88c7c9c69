import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A Dutch municipality by CBS code; reference data, readable by everyone. */
@Entity({ name: 'municipalities' })
export class MunicipalityEntity {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  /** False once a municipality has merged away; kept so old trajectories still resolve. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;
}
