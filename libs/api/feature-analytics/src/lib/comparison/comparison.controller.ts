import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, RequestId, Roles, uuidParam } from '@klantmonitor/api/core';
import { ComparisonService } from './comparison.service';
import { ComparisonGroupDto, SavedViewDto } from './comparison.dto';

/** Comparison groups and saved views of /vergelijken (docs/api.md "Comparison groups"). */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller('v1')
export class ComparisonController {
  constructor(private readonly service: ComparisonService) {}

  @Get('comparison-groups')
  @Roles('policy_advisor', 'org_admin', 'platform_admin')
  @ApiOperation({ summary: "The platform's comparison groups and the organisation's own" })
  list(@CurrentUser() user: AuthUser) {
    return this.service.list(user);
  }

  @Post('comparison-groups')
  @Roles('policy_advisor', 'org_admin', 'platform_admin')
  @ApiOperation({
    summary:
      "A platform admin makes a platform group (everyone's); others a group of their organisation's own municipalities",
  })
  create(@CurrentUser() user: AuthUser, @Body() dto: ComparisonGroupDto, @RequestId() requestId: string) {
    return this.service.create(user, dto, requestId);
  }

  @Put('comparison-groups/:id')
  @Roles('policy_advisor', 'org_admin', 'platform_admin')
  @ApiOperation({ summary: 'Renames a group or changes its municipalities' })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam()) id: string,
    @Body() dto: ComparisonGroupDto,
    @RequestId() requestId: string,
  ) {
    return this.service.update(user, id, dto, requestId);
  }

  @Delete('comparison-groups/:id')
  @HttpCode(204)
  @Roles('policy_advisor', 'org_admin', 'platform_admin')
  @ApiOperation({ summary: 'Removes a group' })
  async remove(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @RequestId() requestId: string) {
    await this.service.remove(user, id, requestId);
  }

  @Get('saved-views')
  @Roles('policy_advisor', 'org_admin')
  @ApiOperation({ summary: "The caller's named views of /vergelijken" })
  views(@CurrentUser() user: AuthUser) {
    return this.service.views(user);
  }

  @Post('saved-views')
  @Roles('policy_advisor', 'org_admin')
  @ApiOperation({ summary: 'Names the current filters of /vergelijken (the query string that reproduces them)' })
  saveView(@CurrentUser() user: AuthUser, @Body() dto: SavedViewDto) {
    return this.service.saveView(user, dto);
  }

  @Delete('saved-views/:id')
  @HttpCode(204)
  @Roles('policy_advisor', 'org_admin')
  @ApiOperation({ summary: "Removes one of the caller's saved views" })
  async removeView(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string) {
    await this.service.removeView(user, id);
  }
}
