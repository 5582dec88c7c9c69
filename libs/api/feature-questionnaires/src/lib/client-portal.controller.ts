import { Controller, Get, Header, HttpCode, Ip, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public, RequestId, Roles, uuidParam } from '@klantmonitor/api/core';
import { ClientPortalService } from './client-portal.service';
import { RespondViewQueryDto } from './dto/respond.dto';

/** The client's own page behind /mijn/<token>: no account, the token is the key. */
@ApiTags('respond')
@Controller('v1/client-portal')
export class ClientPortalController {
  constructor(private readonly portal: ClientPortalService) {}

  @Get(':token')
  @Public()
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      "A client's own progress: steps with dates, the next step, spaartegoed, an open questionnaire (no contact data, reference or answers)",
  })
  @ApiOkResponse({
    description:
      '{organisation, municipality, status, steps, nextStep, spaartegoed: {balance, howPaid}, openQuestionnaire}',
  })
  @ApiNotFoundResponse({ description: 'Unknown link' })
  @ApiGoneResponse({
    description:
      'The link was issued more than 90 days ago or the trajectory ended more than 30 days ago (reason: expired), or it was revoked (reason: revoked)',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many unknown links from this address' })
  view(
    @Param('token') token: string,
    @Query() query: RespondViewQueryDto,
    @Ip() ip: string,
    @RequestId() requestId: string,
  ) {
    return this.portal.view(token, query.lang ?? 'nl', ip, requestId);
  }
}

/** A counselor withdraws the client's "Mijn traject" links (a lost phone, a forwarded mail). */
@ApiTags('clients')
@ApiBearerAuth()
@Controller('v1/trajectories')
export class PortalLinksController {
  constructor(private readonly portal: ClientPortalService) {}

  @Post(':id/portal-links/revoke')
  @Roles('counselor', 'org_admin')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Revoke every link to the client's own page (/mijn/...) of this trajectory, and the page's questionnaire links; they answer 410. The next invitation or reminder brings a new one",
  })
  @ApiOkResponse({ description: '{revoked}: how many links still worked' })
  @ApiNotFoundResponse({ description: 'No such trajectory in your organisation' })
  revoke(@CurrentUser() user: AuthUser, @Param('id', uuidParam()) id: string, @RequestId() requestId: string) {
    return this.portal.revoke(user, id, requestId);
  }
}
