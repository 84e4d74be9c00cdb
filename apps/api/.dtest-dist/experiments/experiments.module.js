"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ExperimentsModule = void 0;
const common_1 = require("@nestjs/common");
const catalog_controller_1 = require("./catalog.controller");
const experiments_controller_1 = require("./experiments.controller");
const experiments_repository_1 = require("./experiments.repository");
const experiments_service_1 = require("./experiments.service");
const global_holdout_repository_1 = require("./global-holdout.repository");
const global_holdout_service_1 = require("./global-holdout.service");
const metrics_repository_1 = require("./metrics.repository");
const metrics_service_1 = require("./metrics.service");
const namespaces_repository_1 = require("./namespaces.repository");
const namespaces_service_1 = require("./namespaces.service");
/** Experiments and their lifecycle, metric definitions, namespaces and the global holdout settings. */
let ExperimentsModule = class ExperimentsModule {
};
exports.ExperimentsModule = ExperimentsModule;
exports.ExperimentsModule = ExperimentsModule = __decorate([
    (0, common_1.Module)({
        controllers: [experiments_controller_1.ExperimentsController, catalog_controller_1.MetricsController, catalog_controller_1.NamespacesController, catalog_controller_1.GlobalHoldoutController],
        providers: [
            experiments_repository_1.ExperimentsRepository,
            experiments_service_1.ExperimentsService,
            metrics_repository_1.MetricsRepository,
            metrics_service_1.MetricsService,
            namespaces_repository_1.NamespacesRepository,
            namespaces_service_1.NamespacesService,
            global_holdout_repository_1.GlobalHoldoutRepository,
            global_holdout_service_1.GlobalHoldoutService,
        ],
    })
], ExperimentsModule);
//# sourceMappingURL=experiments.module.js.map