import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { LoginRequest, LoginResponse } from '@klantmonitor/shared/domain';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'hulpverlener@noordoost.demo.klantmonitor.nl' })
  // class-validator runs the bottom decorator first: the type check stays last.
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email!: string;

  @ApiProperty({ example: 'klantmonitor' })
  @MaxLength(256)
  @MinLength(1, { message: 'password is required' })
  @IsString({ message: 'password must be a string' })
  password!: string;

  @ApiPropertyOptional({
    description: 'Six-digit code, for accounts with a second factor; or one of its recovery codes (xxxxx-xxxxx)',
    example: '123456',
  })
  @IsOptional()
  @Matches(/^(\d{6}|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})$/, {
    message: 'totp must be six digits or a recovery code (xxxxx-xxxxx)',
  })
  totp?: string;
}

export class LoginResponseDto implements LoginResponse {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn!: number;
}
