import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig, ConfigError, loadConfig } from './config/config';
import { adminDistDir, setupApp } from './setup';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every setting.\n`);
      process.exit(1);
    }
    throw err;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  setupApp(app);
  await app.listen(config.PORT, config.HOST);
  const url =
    config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;
  const logger = app.get(Logger);
  logger.log(
    `Liftlab is listening on ${url}` +
      (adminDistDir(config) ? ' (admin app at /)' : ' (admin app not built)') +
      `; API docs at ${url}/docs`,
    'Bootstrap',
  );
}

void bootstrap().catch((err: unknown) => {
  process.stderr.write(
    `Liftlab failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
