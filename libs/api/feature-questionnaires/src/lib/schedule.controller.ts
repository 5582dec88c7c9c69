import { CreateQuestionnaireTemplateDto } from './dto/questionnaire-template.dto';
import { Body, Controller, Get, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, RequestId, Roles } from '@klantmonitor/api/core';
import { UpdateScheduleDto } from './dto/schedule.dto';
import { ScheduleService } from './schedule.service';

@ApiTags('questionnaires')
@ApiBearerAuth()
@Controller('v1')
export class ScheduleController {
  constructor(private readonly schedule: ScheduleService) {}

  @Get('questionnaire-schedule')
  @Roles('org_admin', 'counselor')
  @ApiOperation({ summary: "The organisation's questionnaire schedule (defaults until changed)" })
  @ApiOkResponse()
  get(@CurrentUser() user: AuthUser) {
    return this.schedule.get(user);
  }

  @Put('questionnaire-schedule')
  @Roles('org_admin')
  @ApiOperation({
    summary: 'Change the schedule: interval, delay after a step, reminder, expiry, spaartegoed, channels',
  })
  @ApiOkResponse()
  @ApiBadRequestResponse({ description: 'A value out of range, named in details' })
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdateScheduleDto, @RequestId() requestId: string) {
    return this.schedule.update(user, dto, requestId);
  }

  @Get('questionnaire-templates')
  @Roles('platform_admin', 'org_admin')
  @ApiOperation({ summary: 'Every questionnaire template version' })
  templates(@CurrentUser() user: AuthUser) {
    return this.schedule.templates(user);
  }

  @Post('questionnaire-templates')
  @Roles('platform_admin')
  @ApiOperation({ summary: 'Publish a new template version (the next number for its code)' })
  @ApiCreatedResponse()
  @ApiBadRequestResponse({ description: 'A broken field, named in details' })
  addTemplate(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateQuestionnaireTemplateDto,
    @RequestId() requestId: string,
  ) {
    return this.schedule.addTemplate(user, body, requestId);
  }
}
