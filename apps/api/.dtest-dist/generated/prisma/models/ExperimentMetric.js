"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=ExperimentMetric.js.map