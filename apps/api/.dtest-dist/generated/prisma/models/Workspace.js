"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=Workspace.js.map