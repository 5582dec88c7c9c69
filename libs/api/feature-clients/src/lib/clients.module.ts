import { Module } from '@nestjs/common';
import { ClientsController } from './clients.controller';
import { ClientsService } from './clients.service';
import { contactBoxProvider } from './contact-box';
import { IntakeAnswersController } from './intake-answers.controller';
import { IntakeAnswersService } from './intake-answers.service';
import { TrajectoriesService } from './trajectories.service';

/** The counselor workflow: clients, caseload, steps, dropout and support. */
@Module({
  controllers: [ClientsController, IntakeAnswersController],
  providers: [ClientsService, TrajectoriesService, IntakeAnswersService, contactBoxProvider],
})
export class ClientsModule {}
