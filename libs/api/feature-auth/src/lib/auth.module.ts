import { createSecretKey } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuthGuard, SESSION_CHECK } from '@klantmonitor/api/core';
import { APP_CONFIG, AppConfig } from '@klantmonitor/server/config';
import { OidcService } from './oidc.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginRateLimit, OidcRateLimit, PasswordChangeLimit, TotpCodeLimit } from './login-rate-limit';
import { PasswordService } from './password.service';
import { AccountLinksService } from './account-links.service';
import { SessionsRepository } from './sessions.repository';
import { Tokens } from './tokens';
import { TotpService } from './totp.service';

/** Sign-in, access tokens and the global guard that every endpoint passes. */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      global: true,
      inject: [APP_CONFIG],
      // A KeyObject, made once: given the string, jsonwebtoken 9 first tries to read it as a PEM
      // public key on every verify (and throws), which was 8% of the api's time under load (#27).
      useFactory: (config: AppConfig) => ({
        secret: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')) as unknown as string,
        signOptions: { algorithm: 'HS256' },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    OidcService,
    AuthService,
    TotpService,
    LoginRateLimit,
    OidcRateLimit,
    TotpCodeLimit,
    PasswordChangeLimit,
    PasswordService,
    AccountLinksService,
    SessionsRepository,
    Tokens,
    { provide: SESSION_CHECK, useExisting: Tokens },
    AuthGuard,
    { provide: APP_GUARD, useExisting: AuthGuard },
  ],
  exports: [AuthGuard],
})
export class AuthModule {}
