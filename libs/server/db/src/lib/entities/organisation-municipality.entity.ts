import { Entity, PrimaryColumn } from 'typeorm';

/** Which municipalities an organisation serves (several organisations may serve one municipality). */
@Entity({ name: 'organisation_municipalities' })
export class OrganisationMunicipality {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @PrimaryColumn({ name: 'municipality_code', type: 'text' })
  municipalityCode!: string;
}
