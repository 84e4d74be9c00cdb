"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=Metric.js.map