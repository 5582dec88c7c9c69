import { Module } from '@nestjs/common';
import { ClientsController } from './clients.controller';
import { ClientsService } from './clients.service';
import { CaseloadRepository } from './caseload.repository';
import { ClientRecordRepository } from './client-record.repository';
import { contactBoxProvider } from './contact-box';
import { IntakeAnswersController } from './intake-answers.controller';
import { IntakeAnswersService } from './intake-answers.service';
import { TrajectoriesRepository } from './trajectories.repository';
import { TrajectoriesService } from './trajectories.service';
import { WorklistController } from './worklist.controller';
import { WorklistService } from './worklist.service';
import { WorklistRepository } from './worklist.repository';

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
