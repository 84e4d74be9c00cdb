"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ObservabilityModule = void 0;
const common_1 = require("@nestjs/common");
const metrics_controller_1 = require("./metrics.controller");
const prometheus_service_1 = require("./prometheus.service");
let ObservabilityModule = class ObservabilityModule {
    configure(consumer) {
        consumer.apply(prometheus_service_1.HttpMetricsMiddleware).forRoutes('*path');
    }
};
exports.ObservabilityModule = ObservabilityModule;
exports.ObservabilityModule = ObservabilityModule = __decorate([
    (0, common_1.Module)({
        controllers: [metrics_controller_1.MetricsController],
        providers: [prometheus_service_1.PrometheusService, prometheus_service_1.HttpMetricsMiddleware],
        exports: [prometheus_service_1.PrometheusService],
    })
], ObservabilityModule);
//# sourceMappingURL=observability.module.js.map