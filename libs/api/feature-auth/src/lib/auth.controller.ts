import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROLES, type MeResponse } from '@klantmonitor/shared/domain';
import { AuthUser, CurrentUser, Public, RequestId, Roles } from '@klantmonitor/api/core';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { AuthService } from './auth.service';
import { LoginDto, LoginResponseDto } from './dto/login.dto';

/** Cookie that lets a platform admin's browser open the queue dashboard (Bull Board) only. */
export const ADMIN_COOKIE = 'km_admin';
export const ADMIN_COOKIE_PATH = '/api/admin';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('v1/auth/login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with e-mail and password; returns a short-lived access token' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ description: 'Wrong password or unknown e-mail (same answer)' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address' })
  async login(
    @Body() dto: LoginDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestId() requestId: string,
  ): Promise<LoginResponseDto> {
    const { role, ...token } = await this.auth.login(dto, req.ip, requestId);
    if (role === 'platform_admin') {
      reply.setCookie(ADMIN_COOKIE, token.accessToken, {
        path: ADMIN_COOKIE_PATH,
        httpOnly: true,
        sameSite: 'strict',
        secure: this.config.publicUrl.startsWith('https:'),
        maxAge: token.expiresIn,
      });
    }
    return token;
  }

  @Post('v1/auth/logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Forget the queue-dashboard cookie (access tokens simply expire)' })
  logout(@Res({ passthrough: true }) reply: FastifyReply): void {
    reply.clearCookie(ADMIN_COOKIE, { path: ADMIN_COOKIE_PATH });
  }

  @Get('v1/me')
  @Roles(...ROLES)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user, with organisation and municipalities served' })
  me(@CurrentUser() user: AuthUser): Promise<MeResponse> {
    return this.auth.me(user);
  }
}
