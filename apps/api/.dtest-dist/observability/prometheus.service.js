"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.HttpMetricsMiddleware = exports.PrometheusService = void 0;
const common_1 = require("@nestjs/common");
const prom_client_1 = require("prom-client");
/**
 * One registry per application instance (not prom-client's global one), so several apps in one process — the
 * integration tests — never clash over metric names. Other modules may register their own metrics on `registry`.
 */
let PrometheusService = class PrometheusService {
    registry = new prom_client_1.Registry();
    httpDuration;
    constructor() {
        (0, prom_client_1.collectDefaultMetrics)({ register: this.registry });
        this.httpDuration = new prom_client_1.Histogram({
            name: 'http_request_duration_seconds',
            help: 'HTTP request duration in seconds, by method, route pattern and status code',
            labelNames: ['method', 'route', 'status_code'],
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            registers: [this.registry],
        });
    }
    metrics() {
        return this.registry.metrics();
    }
    get contentType() {
        return this.registry.contentType;
    }
};
exports.PrometheusService = PrometheusService;
exports.PrometheusService = PrometheusService = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [])
], PrometheusService);
/** Times every request; labels use the matched route pattern (`/v1/experiments/:id`) to keep cardinality low. */
let HttpMetricsMiddleware = class HttpMetricsMiddleware {
    prometheus;
    constructor(prometheus) {
        this.prometheus = prometheus;
    }
    use(req, res, next) {
        const end = this.prometheus.httpDuration.startTimer();
        res.on('finish', () => {
            const pattern = req.route?.path;
            const route = typeof pattern === 'string'
                ? `${req.baseUrl}${pattern}`
                : res.statusCode === 404
                    ? 'unmatched'
                    : 'other';
            end({ method: req.method, route, status_code: String(res.statusCode) });
        });
        next();
    }
};
exports.HttpMetricsMiddleware = HttpMetricsMiddleware;
exports.HttpMetricsMiddleware = HttpMetricsMiddleware = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [PrometheusService])
], HttpMetricsMiddleware);
//# sourceMappingURL=prometheus.service.js.map