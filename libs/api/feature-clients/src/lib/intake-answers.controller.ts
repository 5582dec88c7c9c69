import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, RequestId, Roles, uuidParam } from '@klantmonitor/api/core';
import { SaveIntakeAnswersDto } from './dto/intake-answers.dto';
import { IntakeAnswersService } from './intake-answers.service';

@ApiTags('clients')
@ApiBearerAuth()
@Controller('v1/clients/:id/intake-answers')
export class IntakeAnswersController {
  constructor(private readonly intake: IntakeAnswersService) {}

  @Get()
  @Roles('counselor', 'org_admin')
  @ApiOperation({ summary: "The client's latest intake answers (audited)" })
  @ApiOkResponse({
    description: '{latest: {answeredOn, answers, source} | null}',
  })
  latest(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @RequestId() requestId: string) {
    return this.intake.latest(user, id, requestId);
  }

  @Post()
  @Roles('counselor', 'org_admin')
  @ApiOperation({
    summary:
      'Intake answers through the form: the default instrument, every answer optional; a second set on the same day replaces the first. With an active segmentation model the answers get a client type.',
  })
  @ApiCreatedResponse({
    description: '{answeredOn, answered, created, clientType: {code, name} | null}',
  })
  @ApiBadRequestResponse({
    description: 'answeredOn not a date, in the future; answers.<code> unknown or not 1..5; no answer at all',
  })
  @ApiNotFoundResponse({ description: 'No such client in this organisation' })
  save(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Body() dto: SaveIntakeAnswersDto,
    @RequestId() requestId: string,
  ) {
    return this.intake.save(user, id, dto, requestId);
  }
}
