import { Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CreateUserRequest,
  CreateUserRequestSchema,
  CreateUserResponse,
  CreateUserResponseSchema,
  UpdateUserRequest,
  UpdateUserRequestSchema,
  User,
  UserList,
  UserListSchema,
  UserSchema,
} from '@liftlab/contracts';
import { IdParam } from '../common/id-param';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody } from '../common/zod.pipe';
import type { Actor } from './actor';
import { CurrentActor } from './decorators';
import { UsersService } from './users.service';

/** Admin only (no @Roles): managing who can sign in and with which role. */
@ApiTags('users')
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Users of the workspace' })
  @ApiZodResponse(200, UserListSchema)
  async list(@CurrentActor() actor: Actor): Promise<UserList> {
    return { items: await this.users.list(actor) };
  }

  @Post()
  @ApiOperation({ summary: 'Create a user; without a password one is generated and returned once' })
  @ApiZodResponse(201, CreateUserResponseSchema, 'Created')
  create(
    @CurrentActor() actor: Actor,
    @ZodBody(CreateUserRequestSchema) body: CreateUserRequest,
  ): Promise<CreateUserResponse> {
    return this.users.create(actor, body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, change role, disable/enable or reset the password of a user' })
  @ApiZodResponse(200, UserSchema)
  update(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @ZodBody(UpdateUserRequestSchema) body: UpdateUserRequest,
  ): Promise<User> {
    return this.users.update(actor, id, body);
  }
}
