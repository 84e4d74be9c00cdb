"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.FirstRunService = exports.FIRST_RUN_LOGIN_FILE = exports.DEFAULT_ADMIN_EMAIL = void 0;
const common_1 = require("@nestjs/common");
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const audit_service_1 = require("../audit/audit.service");
const clock_1 = require("../common/clock");
const config_1 = require("../config/config");
const auth_repository_1 = require("./auth.repository");
const password_1 = require("./password");
const views_1 = require("./views");
exports.DEFAULT_ADMIN_EMAIL = 'admin@liftlab.local';
exports.FIRST_RUN_LOGIN_FILE = 'first-run-login.txt';
/**
 * On a database without users, creates the first admin so the product can be signed into: FIRST_ADMIN_EMAIL /
 * FIRST_ADMIN_PASSWORD when configured, else admin@liftlab.local with a generated password that is printed once
 * in the start-up log and written to DATA_DIR/first-run-login.txt (readable by the owner only).
 */
let FirstRunService = class FirstRunService {
    repo;
    hasher;
    audit;
    config;
    clock;
    logger = new common_1.Logger('FirstRun');
    constructor(repo, hasher, audit, config, clock) {
        this.repo = repo;
        this.hasher = hasher;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }
    async onApplicationBootstrap() {
        await this.ensureFirstAdmin();
    }
    /** Returns the generated password when one was made (undefined when users exist or a password was configured). */
    async ensureFirstAdmin() {
        if ((await this.repo.countUsers()) > 0)
            return undefined;
        const email = (this.config.FIRST_ADMIN_EMAIL ?? exports.DEFAULT_ADMIN_EMAIL).toLowerCase();
        const generated = this.config.FIRST_ADMIN_PASSWORD ? undefined : (0, password_1.generatePassword)();
        const workspaceId = await this.repo.firstWorkspaceId();
        let user;
        try {
            user = await this.repo.createUser({
                workspaceId,
                email,
                name: 'Administrator',
                role: 'admin',
                passwordHash: await this.hasher.hash(this.config.FIRST_ADMIN_PASSWORD ?? generated ?? ''),
                createdAt: this.clock.now(),
            });
        }
        catch (err) {
            // Another instance starting at the same moment created it first.
            if (err.code === 'P2002')
                return undefined;
            throw err;
        }
        await this.audit.record({ type: 'system', id: 'first-run', workspaceId }, 'user.create', { type: 'user', id: user.id }, undefined, (0, views_1.toUserView)(user));
        if (!generated) {
            this.logger.log(`First-run admin ${email} created with the configured FIRST_ADMIN_PASSWORD`);
            return { email };
        }
        const file = (0, node_path_1.join)((0, config_1.dataDir)(this.config), exports.FIRST_RUN_LOGIN_FILE);
        try {
            (0, node_fs_1.mkdirSync)((0, config_1.dataDir)(this.config), { recursive: true });
            (0, node_fs_1.writeFileSync)(file, `email: ${email}\npassword: ${generated}\n`, { mode: 0o600 });
        }
        catch (err) {
            this.logger.warn({ err }, `could not write ${file}`);
        }
        // Printed once on purpose: without it nobody could sign in. Change it after signing in.
        this.logger.log(`First-run login: ${email} / ${generated} (also in ${file}; change it after signing in)`);
        return { email, password: generated };
    }
};
exports.FirstRunService = FirstRunService;
exports.FirstRunService = FirstRunService = __decorate([
    (0, common_1.Injectable)(),
    __param(4, (0, common_1.Inject)(clock_1.CLOCK)),
    __metadata("design:paramtypes", [auth_repository_1.AuthRepository,
        password_1.PasswordHasher,
        audit_service_1.AuditService,
        config_1.AppConfig, Object])
], FirstRunService);
//# sourceMappingURL=first-run.service.js.map