"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=Variant.js.map