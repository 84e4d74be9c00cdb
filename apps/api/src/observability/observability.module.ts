import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { HttpMetricsMiddleware, PrometheusService } from './prometheus.service';

@Module({
  controllers: [MetricsController],
  providers: [PrometheusService, HttpMetricsMiddleware],
  exports: [PrometheusService],
})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
