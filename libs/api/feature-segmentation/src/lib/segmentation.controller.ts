import { Body, Controller, Get, HttpCode, Param, PipeTransform, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, fieldError, RequestId, Roles, uuidParam } from '@klantmonitor/api/core';
import { ActivateDto, CreateRunDto, K_MAX, OutcomesQueryDto, TransitionsQueryDto } from './segmentation.dto';
import { SegmentationService } from './segmentation.service';

/** `k` in a path: a whole number 2..12, else 400 naming it (one pipe, parsing and range). */
const K_PARAM: PipeTransform<string, number> = {
  transform(value: string): number {
    const k = /^\d{1,2}$/.test(value) ? Number(value) : NaN;
    if (!(k >= 2 && k <= K_MAX)) throw fieldError('k', `must be a whole number from 2 to ${K_MAX}`);
    return k;
  },
};

@ApiTags('segmentation')
@ApiBearerAuth()
@Controller('v1/segmentation/runs')
export class SegmentationController {
  constructor(private readonly segmentation: SegmentationService) {}

  @Post()
  @Roles('org_admin')
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Start a segmentation run over each client's latest intake answers {kMin, kMax, restarts, seed, items, answeredFrom, answeredTo}",
  })
  @ApiAcceptedResponse({
    description: '{id}: follow it with GET /segmentation/runs/:id',
  })
  @ApiUnprocessableEntityResponse({
    description: 'Too few clients with intake answers',
  })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateRunDto, @RequestId() requestId: string) {
    return this.segmentation.create(user, dto, requestId);
  }

  @Get()
  @Roles('org_admin', 'policy_advisor')
  @ApiOperation({
    summary: "The organisation's runs, newest first, with their state",
  })
  list(@CurrentUser() user: AuthUser) {
    return this.segmentation.list(user);
  }

  @Get(':id')
  @Roles('org_admin', 'policy_advisor')
  @ApiOperation({
    summary: 'State, progress and, when completed, every scenario: sizes, withinSS, silhouette, calinskiHarabasz',
  })
  get(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string) {
    return this.segmentation.get(user, id);
  }

  @Post(':id/cancel')
  @Roles('org_admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a queued or running run (a finished one stays as it is)',
  })
  cancel(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @RequestId() requestId: string) {
    return this.segmentation.cancel(user, id, requestId);
  }

  @Get(':id/scenarios/:k/assignments')
  @Roles('org_admin')
  @ApiOperation({
    summary: 'Segment (0..k-1, by size) of every client in the run: [{clientRef, segment}]',
  })
  assignments(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @Param('k', K_PARAM) k: number) {
    return this.segmentation.assignments(user, id, k);
  }

  @Post(':id/scenarios/:k/activate')
  @Roles('org_admin')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Make scenario k the model {names: [...one per segment], descriptions?}: client types per segment, assessments for the run's clients and every new intake answer",
  })
  activate(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Param('k', K_PARAM) k: number,
    @Body() dto: ActivateDto,
    @RequestId() requestId: string,
  ) {
    return this.segmentation.activate(user, id, k, dto, requestId);
  }

  @Get(':id/scenarios/:k/outcomes')
  @Roles('org_admin', 'policy_advisor')
  @ApiOperation({
    summary:
      'Per segment: step attainment within withinDays (default 90), dropout and median days to the step, as of asOf (default today)',
  })
  outcomes(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Param('k', K_PARAM) k: number,
    @Query() q: OutcomesQueryDto,
  ) {
    return this.segmentation.outcomes(user, id, k, q);
  }

  @Get(':id/scenarios/:k/profile')
  @Roles('org_admin', 'policy_advisor')
  @ApiOperation({
    summary: 'Profile per segment and item: mean and agreeShare over the answers given, z and flag',
  })
  profile(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @Param('k', K_PARAM) k: number) {
    return this.segmentation.profile(user, id, k);
  }
}

@ApiTags('segmentation')
@ApiBearerAuth()
@Controller('v1/client-types')
export class ClientTypesController {
  constructor(private readonly segmentation: SegmentationService) {}

  @Get('transitions')
  @Roles('org_admin', 'policy_advisor')
  @ApiOperation({
    summary: 'Client type at `from` against client type at `to`: {types, names, counts, shares} (row shares)',
  })
  transitions(@CurrentUser() user: AuthUser, @Query() q: TransitionsQueryDto) {
    return this.segmentation.transitions(user, q);
  }
}
