"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=ImportJob.js.map