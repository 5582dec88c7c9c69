import { Module } from '@nestjs/common';
import { ClientsController } from './clients.controller';
import { ClientsService } from './clients.service';
import { CaseloadRepository } from '@klantmonitor/server/clients';
import { ClientRecordRepository } from '@klantmonitor/server/clients';
import { contactBoxProvider } from './contact-box';
import { IntakeAnswersController } from './intake-answers.controller';
import { IntakeAnswersService } from './intake-answers.service';
import { TrajectoriesRepository } from '@klantmonitor/server/clients';
import { TrajectoriesService } from './trajectories.service';
import { WorklistController } from './worklist.controller';
import { WorklistService } from './worklist.service';
import { WorklistRepository } from '@klantmonitor/server/clients';

/** The counselor workflow: clients, caseload, steps, dropout and support. */
@Module({
  controllers: [ClientsController, IntakeAnswersController, WorklistController],
  providers: [
    ClientsService,
    CaseloadRepository,
    ClientRecordRepository,
    TrajectoriesService,
    TrajectoriesRepository,
    IntakeAnswersService,
    WorklistService,
    WorklistRepository,
    contactBoxProvider,
  ],
})
export class ClientsModule {}
