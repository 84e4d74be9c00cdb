"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.AssignmentModule = void 0;
const common_1 = require("@nestjs/common");
const assignment_controller_1 = require("./assignment.controller");
const assignment_repository_1 = require("./assignment.repository");
const assignment_service_1 = require("./assignment.service");
/** POST /v1/assign and GET /v1/sdk/payload. */
let AssignmentModule = class AssignmentModule {
};
exports.AssignmentModule = AssignmentModule;
exports.AssignmentModule = AssignmentModule = __decorate([
    (0, common_1.Module)({
        controllers: [assignment_controller_1.AssignmentController],
        providers: [assignment_repository_1.AssignmentRepository, assignment_service_1.AssignmentService],
    })
], AssignmentModule);
//# sourceMappingURL=assignment.module.js.map