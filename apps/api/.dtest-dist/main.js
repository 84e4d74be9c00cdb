"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
require("reflect-metadata");
const core_1 = require("@nestjs/core");
const nestjs_pino_1 = require("nestjs-pino");
const app_module_1 = require("./app.module");
const config_1 = require("./config/config");
const setup_1 = require("./setup");
async function bootstrap() {
    let config;
    try {
        config = (0, config_1.loadConfig)();
    }
    catch (err) {
        if (err instanceof config_1.ConfigError) {
            process.stderr.write(`${err.message}\nSee .env.example for every setting.\n`);
            process.exit(1);
        }
        throw err;
    }
    const app = await core_1.NestFactory.create(app_module_1.AppModule, {
        bufferLogs: true,
        bodyParser: false,
    });
    (0, setup_1.setupApp)(app);
    await app.listen(config.PORT, config.HOST);
    const url = config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;
    const logger = app.get(nestjs_pino_1.Logger);
    logger.log(`Liftlab is listening on ${url}` +
        ((0, setup_1.adminDistDir)(config) ? ' (admin app at /)' : ' (admin app not built)') +
        `; API docs at ${url}/docs`, 'Bootstrap');
}
void bootstrap().catch((err) => {
    process.stderr.write(`Liftlab failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
});
//# sourceMappingURL=main.js.map