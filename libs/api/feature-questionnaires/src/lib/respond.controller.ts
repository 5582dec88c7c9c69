import { Body, Controller, Get, Header, HttpCode, Ip, Param, Post, Query } from '@nestjs/common';
import {
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { Public, RequestId } from '@klantmonitor/api/core';
import { RespondService } from './respond.service';
import { RespondDto, RespondViewQueryDto } from './dto/respond.dto';

/** The client answer API behind the link /v/<token>: no account, the token is the key. */
@ApiTags('respond')
@Controller('v1/respond')
export class RespondController {
  constructor(private readonly respond: RespondService) {}

  @Get(':token')
  @Public()
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The questionnaire behind a link, with the spaartegoed per answer and the balance' })
  @ApiOkResponse({ description: '{questionnaire, organisation, spaartegoed, expiresAt}' })
  @ApiNotFoundResponse({ description: 'Unknown link' })
  @ApiGoneResponse({ description: 'Expired or already answered (reason: expired | completed)' })
  @ApiTooManyRequestsResponse({ description: 'Too many unknown links from this address' })
  view(
    @Param('token') token: string,
    @Query() query: RespondViewQueryDto,
    @Ip() ip: string,
    @RequestId() requestId: string,
  ) {
    return this.respond.view(token, query.lang ?? 'nl', ip, requestId);
  }

  @Post(':token')
  @Public()
  @HttpCode(200)
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Answer the questionnaire once; books the spaartegoed' })
  @ApiOkResponse({ description: '{spaartegoed: {credited, balance}}' })
  @ApiGoneResponse({ description: 'Expired or already answered: nothing is booked' })
  answer(@Param('token') token: string, @Body() body: RespondDto, @Ip() ip: string, @RequestId() requestId: string) {
    return this.respond.answer(token, body, ip, requestId);
  }
}
