"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=Experiment.js.map