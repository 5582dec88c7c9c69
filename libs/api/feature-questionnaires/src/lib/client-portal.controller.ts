import { Controller, Get, Header, Ip, Param, Query } from '@nestjs/common';
import {
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { Public, RequestId } from '@klantmonitor/api/core';
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
  @ApiGoneResponse({ description: 'The trajectory ended more than 30 days ago (reason: expired)' })
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
