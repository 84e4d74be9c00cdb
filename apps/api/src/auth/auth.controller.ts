import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ChangePasswordRequest,
  ChangePasswordRequestSchema,
  LoginRequest,
  LoginRequestSchema,
  LoginResponse,
  LoginResponseSchema,
  MeResponse,
  MeResponseSchema,
} from '@liftlab/contracts';
import type { Request, Response } from 'express';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody } from '../common/zod.pipe';
import { AppConfig } from '../config/config';
import type { Actor } from './actor';
import { AuthService } from './auth.service';
import { ALL_ROLES, CurrentActor, KeyScopes, Public, Roles, SESSION_COOKIE } from './decorators';
import { toUserView } from './views';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in; sets the liftlab_session cookie (httpOnly, SameSite=Lax)' })
  @ApiZodResponse(200, LoginResponseSchema)
  async login(
    @ZodBody(LoginRequestSchema) body: LoginRequest,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponse> {
    const result = await this.auth.login(
      body.email,
      body.password,
      req.ip ?? req.socket.remoteAddress ?? 'unknown',
    );
    res.cookie(SESSION_COOKIE, result.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure || (this.config.PUBLIC_URL?.startsWith('https:') ?? false),
      path: '/',
      // Max-Age, not Expires: relative to the browser's clock; the server enforces expiresAt on its own clock.
      maxAge: this.auth.sessionTtlMs,
    });
    res.setHeader('Cache-Control', 'no-store');
    return { user: toUserView(result.user) };
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends the session and clears the cookie' })
  @ApiNoContentResponse()
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
    await this.auth.logout(typeof token === 'string' ? token : undefined);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('me')
  @Roles(...ALL_ROLES)
  @KeyScopes('ingest', 'read')
  @ApiOperation({ summary: 'The signed-in user, or the calling API key' })
  @ApiZodResponse(200, MeResponseSchema)
  async me(@CurrentActor() actor: Actor): Promise<MeResponse> {
    if (actor.type === 'api_key')
      return { actor: { type: 'api_key', id: actor.id, scope: actor.scope, workspaceId: actor.workspaceId } };
    return { actor: { type: 'user', user: toUserView(await this.auth.userOf(actor)) } };
  }

  @Post('password')
  @Roles(...ALL_ROLES)
  @HttpCode(204)
  @ApiOperation({ summary: "Change the signed-in user's password; other sessions are signed out" })
  @ApiNoContentResponse()
  async changePassword(
    @CurrentActor() actor: Actor,
    @ZodBody(ChangePasswordRequestSchema) body: ChangePasswordRequest,
  ): Promise<void> {
    await this.auth.changePassword(actor, body.currentPassword, body.newPassword);
  }
}
