import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiExcludeEndpoint,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROLES, type MeResponse, type TotpSetupResponse, type TotpStatusResponse } from '@klantmonitor/shared/domain';
import {
  AllowDuringEnrolment,
  AuthGuard,
  AuthUser,
  CurrentUser,
  Public,
  RequestId,
  Roles,
} from '@klantmonitor/api/core';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { AuthService } from './auth.service';
import { TotpService } from './totp.service';
import { PasswordService } from './password.service';
import { AccountLinksService } from './account-links.service';
import { ForgotPasswordDto, UseAccountLinkDto } from './dto/account-link.dto';
import { ChangePasswordDto } from './dto/password.dto';
import { LoginDto, LoginResponseDto } from './dto/login.dto';
import { OidcEmailDto, OidcExchangeTotpDto } from './dto/oidc.dto';
import { OIDC_BROWSER_COOKIE, OIDC_COOKIE_PATH, OidcService } from './oidc.service';
import { TotpDisableDto, TotpEnableDto, TotpSetupDto } from './dto/totp.dto';

/** Cookie that lets a platform admin's browser open the queue dashboard (Bull Board) only. */
export const ADMIN_COOKIE = 'km_admin';
export const ADMIN_COOKIE_PATH = '/api/admin';

const TOTP_SETUP_SCHEMA = {
  type: 'object',
  properties: {
    secret: { type: 'string', description: 'base32, for typing in by hand' },
    otpauthUrl: { type: 'string', example: 'otpauth://totp/Klantmonitor:...' },
    qrCode: { type: 'string', description: 'The same link as a QR code (PNG data URL)' },
  },
  required: ['secret', 'otpauthUrl', 'qrCode'],
};
const TOTP_STATUS_SCHEMA = {
  type: 'object',
  properties: {
    totpEnabled: { type: 'boolean' },
    recoveryCodes: {
      type: 'array',
      items: { type: 'string' },
      description: 'When just turned on: ten single-use codes, shown this once',
    },
    accessToken: { type: 'string', description: 'The other sessions ended: use this token from now on' },
  },
  required: ['totpEnabled'],
};

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly totp: TotpService,
    private readonly passwords: PasswordService,
    private readonly links: AccountLinksService,
    private readonly guard: AuthGuard,
    private readonly oidc: OidcService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('v1/auth/oidc/check')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: "Whether an e-mail address signs in with its organisation's identity provider" })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        sso: { type: 'boolean' },
        ssoOnly: { type: 'boolean', description: 'Passwords are off for this address: only single sign-on' },
      },
      required: ['sso', 'ssoOnly'],
    },
  })
  oidcCheck(@Body() dto: OidcEmailDto) {
    return this.oidc.check(dto.email);
  }

  @Get('v1/auth/oidc/start')
  @Public()
  // A step of the browser's round trip to the provider, not an API call: outside the OpenAPI contract.
  @ApiExcludeEndpoint()
  @ApiOperation({ summary: "Single sign-on: 302 to the organisation's identity provider (authorization code + PKCE)" })
  async oidcStart(
    @Query() q: OidcEmailDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: false }) reply: FastifyReply,
    @RequestId() requestId: string,
  ): Promise<void> {
    const { location, browserSecret } = await this.oidc.start(q.email, req.ip, requestId);
    reply.setCookie(OIDC_BROWSER_COOKIE, browserSecret, {
      path: OIDC_COOKIE_PATH,
      httpOnly: true,
      // Lax: the provider sends the browser back with a top-level GET, which must carry it.
      sameSite: 'lax',
      secure: this.config.publicUrl.startsWith('https:'),
      maxAge: 600,
    });
    reply.header('cache-control', 'no-store').redirect(location, 302);
  }

  @Get('v1/auth/oidc/callback')
  @Public()
  // A step of the browser's round trip to the provider, not an API call: outside the OpenAPI contract.
  @ApiExcludeEndpoint()
  @ApiOperation({
    summary:
      'Single sign-on: where the provider sends the browser back; 302 to /inloggen?sso=<one-time code> or /inloggen?sso_error=<reason>',
  })
  async oidcCallback(
    @Req() req: FastifyRequest,
    @Res({ passthrough: false }) reply: FastifyReply,
    @RequestId() requestId: string,
  ): Promise<void> {
    // Every parameter as the provider sent it (Google adds scope, authuser, hd, prompt): openid-client
    // checks the response; a DTO here would refuse a provider's extra parameter with a JSON 400.
    const params = new URL(req.url, 'http://callback').searchParams;
    const { location, ok } = await this.oidc.callback(params, req.cookies?.[OIDC_BROWSER_COOKIE], req.ip, requestId);
    // Kept after a good answer: the one-time code is exchanged only with this browser's cookie.
    if (!ok) reply.clearCookie(OIDC_BROWSER_COOKIE, { path: OIDC_COOKIE_PATH });
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(location, 302);
  }

  @Post('v1/auth/oidc/exchange')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Single sign-on: the one-time code {code} for an access token (single use, 60 seconds, only in the browser that signed in). An account with a second factor first gets {totpRequired: true}; then {code, totp} within 5 minutes',
  })
  @ApiOkResponse({
    description: 'An access token, or {totpRequired: true}',
    schema: {
      oneOf: [
        { $ref: '#/components/schemas/LoginResponseDto' },
        { type: 'object', properties: { totpRequired: { type: 'boolean', enum: [true] } }, required: ['totpRequired'] },
      ],
    },
  })
  @ApiUnauthorizedResponse({
    description:
      'Unknown, used or expired code, or another browser (code code_unknown / code_used / code_expired / other_browser); a wrong totp (details: totp)',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many requests from this address, or wrong codes for this account' })
  async oidcExchange(
    @Body() dto: OidcExchangeTotpDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestId() requestId: string,
  ): Promise<LoginResponseDto | { totpRequired: true }> {
    const result = await this.oidc.exchange(dto.code, dto.totp, req.cookies?.[OIDC_BROWSER_COOKIE], req.ip, requestId);
    if ('totpRequired' in result) return result;
    reply.clearCookie(OIDC_BROWSER_COOKIE, { path: OIDC_COOKIE_PATH });
    return { accessToken: result.issued.accessToken, expiresIn: result.issued.expiresIn };
  }

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
    const issued = await this.auth.login(dto, req.ip, requestId);
    if (issued.queueToken) {
      // The queue dashboard's own credential: read-only, 15 minutes, ends with the session.
      reply.setCookie(ADMIN_COOKIE, issued.queueToken, {
        path: ADMIN_COOKIE_PATH,
        httpOnly: true,
        sameSite: 'strict',
        secure: this.config.publicUrl.startsWith('https:'),
        maxAge: issued.queueExpiresIn,
      });
    }
    return { accessToken: issued.accessToken, expiresIn: issued.expiresIn };
  }

  @Post('v1/auth/logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    summary: "Sign out: ends this token's session at once (its next use is 401) and forgets the queue-dashboard cookie",
  })
  async logout(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestId() requestId: string,
  ): Promise<void> {
    reply.clearCookie(ADMIN_COOKIE, { path: ADMIN_COOKIE_PATH });
    // Public, so that a browser holding an expired or ended token can still sign out cleanly.
    const user = await this.guard.authenticate(req.headers.authorization).catch(() => null);
    if (user) await this.auth.logout(user, requestId);
  }

  @Post('v1/auth/totp/setup')
  @HttpCode(200)
  @Roles(...ROLES)
  @AllowDuringEnrolment()
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Start two-step verification {password}: a new secret, as text, otpauth:// link and QR code; POST /auth/totp/enable with a first code turns it on',
  })
  @ApiConflictResponse({ description: 'It is on already' })
  @ApiOkResponse({ description: 'The new secret (not on until enabled)', schema: TOTP_SETUP_SCHEMA })
  async totpSetup(
    @CurrentUser() user: AuthUser,
    @Body() dto: TotpSetupDto,
    @RequestId() requestId: string,
  ): Promise<TotpSetupResponse> {
    return this.totp.setup(user, dto, requestId);
  }

  @Post('v1/auth/totp/enable')
  @HttpCode(200)
  @Roles(...ROLES)
  @AllowDuringEnrolment()
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Turn two-step verification on with the code the app shows {totp: "123456"}; ends the other sessions and answers a new accessToken',
  })
  @ApiBadRequestResponse({ description: 'totp missing, not six digits, not right, or used already' })
  @ApiConflictResponse({ description: 'Not set up yet' })
  @ApiOkResponse({ description: 'On; the recovery codes and a new access token', schema: TOTP_STATUS_SCHEMA })
  totpEnable(
    @CurrentUser() user: AuthUser,
    @Body() dto: TotpEnableDto,
    @RequestId() requestId: string,
  ): Promise<TotpStatusResponse> {
    return this.totp.enable(user, dto, requestId);
  }

  @Post('v1/auth/totp/disable')
  @HttpCode(200)
  @Roles(...ROLES)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Turn two-step verification off {password, totp}; ends the other sessions and answers a new accessToken',
  })
  @ApiBadRequestResponse({ description: 'totp missing, not six digits, not right, or used already' })
  @ApiConflictResponse({ description: 'It is not on' })
  @ApiOkResponse({ description: 'Off; a new access token', schema: TOTP_STATUS_SCHEMA })
  totpDisable(
    @CurrentUser() user: AuthUser,
    @Body() dto: TotpDisableDto,
    @RequestId() requestId: string,
  ): Promise<TotpStatusResponse> {
    return this.totp.disable(user, dto, requestId);
  }

  @Post('v1/auth/totp/recovery-codes')
  @HttpCode(200)
  @Roles(...ROLES)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'New recovery codes {password}: ten single-use codes, shown once; the old ones stop working',
  })
  @ApiConflictResponse({ description: 'Two-step verification is not on' })
  @ApiOkResponse({
    description: 'Ten new single-use codes, shown this once',
    schema: {
      type: 'object',
      properties: { recoveryCodes: { type: 'array', items: { type: 'string' } } },
      required: ['recoveryCodes'],
    },
  })
  newRecoveryCodes(
    @CurrentUser() user: AuthUser,
    @Body() dto: TotpSetupDto,
    @RequestId() requestId: string,
  ): Promise<{ recoveryCodes: string[] }> {
    return this.totp.newRecoveryCodes(user, dto, requestId);
  }

  @Post('v1/auth/password')
  @HttpCode(204)
  @Roles(...ROLES)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Change your own password {currentPassword, newPassword}: at least 12 characters, not your e-mail address, not a common password. Ends every session of the account, this one too: sign in again',
  })
  @ApiBadRequestResponse({
    description: 'currentPassword not right; newPassword too short, your e-mail, common or unchanged',
  })
  @ApiNoContentResponse({ description: 'Changed; every session ended' })
  changePassword(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChangePasswordDto,
    @RequestId() requestId: string,
  ): Promise<void> {
    return this.passwords.change(user, dto, requestId);
  }

  @Post('v1/auth/password/forgot')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Forgotten password {email}: 202 always (known address or not). A known, active account gets an e-mail with a single-use link /wachtwoord/<token>, valid 30 minutes',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many requests from this address or for this e-mail address' })
  @ApiAcceptedResponse({ description: 'Always, known address or not' })
  async forgotPassword(
    @Body() dto: ForgotPasswordDto,
    @Req() req: FastifyRequest,
    @RequestId() requestId: string,
  ): Promise<void> {
    await this.links.forgot(dto.email, req.ip, requestId);
  }

  @Post('v1/auth/password/reset')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    summary: "Set a new password with the e-mail's token {token, password}; ends every other session of the account",
  })
  @ApiBadRequestResponse({ description: 'password too short, the e-mail address or common; token malformed' })
  @ApiNotFoundResponse({ description: 'Unknown token' })
  @ApiGoneResponse({ description: 'The link was used or has expired' })
  @ApiNoContentResponse({ description: 'The new password is set' })
  resetPassword(
    @Body() dto: UseAccountLinkDto,
    @Req() req: FastifyRequest,
    @RequestId() requestId: string,
  ): Promise<void> {
    return this.links.use('password_reset', dto.token, dto.password, req.ip, requestId);
  }

  @Post('v1/auth/invitation/accept')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    summary: "Accept an invitation: choose your password with the e-mail's token {token, password}, then sign in",
  })
  @ApiBadRequestResponse({ description: 'password too short, the e-mail address or common; token malformed' })
  @ApiNotFoundResponse({ description: 'Unknown token' })
  @ApiGoneResponse({ description: 'The link was used or has expired (7 days)' })
  @ApiNoContentResponse({ description: 'The password is set; sign in with it' })
  acceptInvitation(
    @Body() dto: UseAccountLinkDto,
    @Req() req: FastifyRequest,
    @RequestId() requestId: string,
  ): Promise<void> {
    return this.links.use('invitation', dto.token, dto.password, req.ip, requestId);
  }

  @Get('v1/me')
  @Roles(...ROLES)
  @AllowDuringEnrolment()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user, with organisation and municipalities served' })
  me(@CurrentUser() user: AuthUser): Promise<MeResponse> {
    return this.auth.me(user);
  }
}
