import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { ClientPortalController, PortalLinksController } from './client-portal.controller';
import { ClientPortalService } from './client-portal.service';
import { DeliveryFailuresController } from './delivery-failures.controller';
import { DeliveryFailuresRepository } from './delivery-failures.repository';
import { RespondController } from './respond.controller';
import { RespondRateLimit } from './respond-rate-limit';
import { RespondService } from './respond.service';
import { ScheduleController } from './schedule.controller';
import { ScheduleService } from './schedule.service';

/** Questionnaires over HTTP: the client answer API, the schedule, templates, and alert handling. */
@Module({
  controllers: [
    RespondController,
    ClientPortalController,
    PortalLinksController,
    ScheduleController,
    AlertsController,
    DeliveryFailuresController,
  ],
  providers: [
    RespondService,
    ClientPortalService,
    RespondRateLimit,
    ScheduleService,
    DeliveryFailuresRepository,
    AlertsService,
  ],
})
export class QuestionnairesModule {}
