import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig, resolveSessionSecret } from '../config/config';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { FirstRunService } from './first-run.service';
import { PasswordHasher } from './password';
import { SESSION_SECRET } from './session-secret';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [AuthController, UsersController, ApiKeysController],
  providers: [
    AuthRepository,
    PasswordHasher,
    AuthService,
    UsersService,
    ApiKeysService,
    FirstRunService,
    {
      provide: SESSION_SECRET,
      useFactory: (config: AppConfig) => resolveSessionSecret(config),
      inject: [AppConfig],
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService],
})
export class AuthModule {}
