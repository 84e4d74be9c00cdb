"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.AuthModule = void 0;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const config_1 = require("../config/config");
const api_keys_controller_1 = require("./api-keys.controller");
const api_keys_service_1 = require("./api-keys.service");
const auth_controller_1 = require("./auth.controller");
const auth_guard_1 = require("./auth.guard");
const auth_repository_1 = require("./auth.repository");
const auth_service_1 = require("./auth.service");
const first_run_service_1 = require("./first-run.service");
const password_1 = require("./password");
const session_secret_1 = require("./session-secret");
const users_controller_1 = require("./users.controller");
const users_service_1 = require("./users.service");
let AuthModule = class AuthModule {
};
exports.AuthModule = AuthModule;
exports.AuthModule = AuthModule = __decorate([
    (0, common_1.Module)({
        controllers: [auth_controller_1.AuthController, users_controller_1.UsersController, api_keys_controller_1.ApiKeysController],
        providers: [
            auth_repository_1.AuthRepository,
            password_1.PasswordHasher,
            auth_service_1.AuthService,
            users_service_1.UsersService,
            api_keys_service_1.ApiKeysService,
            first_run_service_1.FirstRunService,
            {
                provide: session_secret_1.SESSION_SECRET,
                useFactory: (config) => (0, config_1.resolveSessionSecret)(config),
                inject: [config_1.AppConfig],
            },
            { provide: core_1.APP_GUARD, useClass: auth_guard_1.AuthGuard },
        ],
        exports: [auth_service_1.AuthService],
    })
], AuthModule);
//# sourceMappingURL=auth.module.js.map