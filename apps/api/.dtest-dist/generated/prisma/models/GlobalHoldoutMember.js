"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=GlobalHoldoutMember.js.map