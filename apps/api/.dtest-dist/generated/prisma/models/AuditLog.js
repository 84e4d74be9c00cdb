"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=AuditLog.js.map