import { Module } from '@nestjs/common';
import { ClientsController } from './clients.controller';
import { ClientsService } from './clients.service';
import { contactBoxProvider } from './contact-box';
import { TrajectoriesService } from './trajectories.service';

/** The counselor workflow: clients, caseload, steps, dropout and support. */
@Module({ controllers: [ClientsController], providers: [ClientsService, TrajectoriesService, contactBoxProvider] })
export class ClientsModule {}
