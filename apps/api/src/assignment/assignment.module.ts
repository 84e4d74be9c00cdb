import { Module } from '@nestjs/common';
import { AssignmentController } from './assignment.controller';
import { AssignmentRepository } from './assignment.repository';
import { AssignmentService } from './assignment.service';

/** POST /v1/assign and GET /v1/sdk/payload. */
@Module({
  controllers: [AssignmentController],
  providers: [AssignmentRepository, AssignmentService],
})
export class AssignmentModule {}
