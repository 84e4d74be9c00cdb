"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=Assignment.js.map