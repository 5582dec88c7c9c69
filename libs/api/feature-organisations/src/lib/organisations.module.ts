import { Module } from '@nestjs/common';
import { OrganisationsController } from './organisations.controller';
import { OrganisationsService } from './organisations.service';
import { SecurityRepository } from './security.repository';
import { SsoRepository } from './sso.repository';
import { SsoService } from './sso.service';
import { UsersRepository } from './users.repository';
import { OrganisationsRepository } from './organisations.repository';

/** Tenants, the municipalities they serve, and their staff accounts. */
@Module({
  controllers: [OrganisationsController],
  providers: [
    OrganisationsService,
    OrganisationsRepository,
    SecurityRepository,
    UsersRepository,
    SsoService,
    SsoRepository,
  ],
})
export class OrganisationsModule {}
