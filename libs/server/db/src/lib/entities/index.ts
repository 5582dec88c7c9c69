import { AuditEvent } from './audit-event.entity';
import { MunicipalityEntity } from './municipality.entity';
import { OrganisationMunicipality } from './organisation-municipality.entity';
import { Organisation } from './organisation.entity';
import { User } from './user.entity';

export { AuditEvent, MunicipalityEntity, Organisation, OrganisationMunicipality, User };
export const ENTITIES = [AuditEvent, MunicipalityEntity, Organisation, OrganisationMunicipality, User];
