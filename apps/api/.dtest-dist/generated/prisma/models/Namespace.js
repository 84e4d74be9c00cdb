"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=Namespace.js.map