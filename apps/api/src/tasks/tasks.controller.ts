import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CallTaskListSchema,
  CallTaskSchema,
  TaskCompleteSchema,
  TaskListQuerySchema,
  type CallTask,
  type CallTaskList,
  type TaskComplete,
  type TaskListQuery,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { IdParam } from '../common/id-param';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodQuery } from '../common/zod.pipe';
import { TasksService } from './tasks.service';

/** The lifecycle team's call tasks. */
@ApiTags('tasks')
@Controller('v1/tasks')
@Roles('lifecycle', 'marketer')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: 'Call tasks, soonest due first; filter by owner, status, overdue' })
  @ApiZodResponse(200, CallTaskListSchema)
  list(
    @CurrentActor() actor: Actor,
    @ZodQuery(TaskListQuerySchema) query: TaskListQuery,
  ): Promise<CallTaskList> {
    return this.tasks.list(actor, query);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete an open task with the outcome of the call and notes' })
  @ApiZodResponse(200, CallTaskSchema)
  complete(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @ZodBody(TaskCompleteSchema) body: TaskComplete,
  ): Promise<CallTask> {
    return this.tasks.complete(actor, id, body);
  }
}
