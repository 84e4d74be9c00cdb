import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Health, HealthSchema } from '@liftlab/contracts';
import type { Response } from 'express';
import { Public } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { HealthService } from './health.service';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Liveness and readiness: database reachable and migrations current' })
  @ApiZodResponse(200, HealthSchema, 'Healthy')
  @ApiZodResponse(503, HealthSchema, 'Database down or migrations pending')
  async check(@Res({ passthrough: true }) res: Response): Promise<Health> {
    const health = await this.health.check();
    res.status(health.status === 'ok' ? 200 : 503);
    return health;
  }
}
