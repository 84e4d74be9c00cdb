/**
 * The server side of the api benchmark, run as a child process by api.bench.ts so that the load generator
 * never shares an event loop with the server it measures.
 *
 * It is the full application from `createTestApp()` (every module, global guard, exception filter, body
 * parsing, request logging) on a fresh migrated database, listening on a random loopback port, plus one
 * bench-only route, POST /bench/bare: public, answers a small JSON without touching the database, behind the
 * same middleware, guard and filter. It also runs the raw `COPY` baseline next to the database it owns.
 */
import { Controller, HttpCode, Module, Post } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { AppModule } from '../src/app.module';
import { Public } from '../src/auth/decorators';
import { LOG_DESTINATION } from '../src/observability/logging';
import { createTestApp, type TestApp } from '../test/app';
import { copyEvents, countEvents, truncateEvents } from './copy';
import type { ParentMessage, ServerReady } from './protocol';

@Controller('bench')
class BareController {
  @Post('bare')
  @Public()
  @HttpCode(200)
  bare(): { ok: boolean } {
    return { ok: true };
  }
}

/**
 * Stands in for AppModule in the testing module and imports the real one. The import is written as a dynamic
 * module (`{ module: AppModule }`) because Nest matches module overrides by reference: the plain class would be
 * replaced by this module again.
 */
@Module({ imports: [{ module: AppModule }], controllers: [BareController] })
class BenchAppModule {}

async function main(): Promise<void> {
  const send = (message: unknown) => process.send?.(message);
  // Request logging as in production (LOG_LEVEL info), written to /dev/null so the cost stays and the noise goes.
  const logLevel = process.env.BENCH_LOG_LEVEL ?? 'info';
  const t: TestApp = await createTestApp({
    env: { LOG_LEVEL: logLevel },
    configure: (builder) =>
      builder
        .overrideModule(AppModule)
        .useModule(BenchAppModule)
        .overrideProvider(LOG_DESTINATION)
        .useValue(pino.destination({ dest: '/dev/null', sync: false })),
  });
  // One close for every trigger (parent's request, parent gone, signal); each waits until the database is dropped.
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await t.close();
      if (process.connected) process.disconnect();
    })());

  try {
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.server.address() as AddressInfo;
    const ready: ServerReady = {
      type: 'ready',
      baseUrl: `http://127.0.0.1:${port}`,
      ingestKey: await t.createApiKey('ingest', 'bench ingest key'),
      adminCookie: await t.sessionCookie(t.admin.user),
      provider: t.prisma.database.provider,
      location: t.prisma.database.location,
      logLevel,
    };
    send(ready);
  } catch (err) {
    await close();
    throw err;
  }

  process.on('message', (raw: unknown) => {
    const message = raw as ParentMessage;
    void (async () => {
      try {
        switch (message.cmd) {
          case 'truncate-events':
            await truncateEvents(t.prisma);
            send({ type: 'result', id: message.id, value: null });
            break;
          case 'count-events':
            send({ type: 'result', id: message.id, value: await countEvents(t.prisma) });
            break;
          case 'copy-events':
            send({
              type: 'result',
              id: message.id,
              value: await copyEvents(t.prisma, t.workspaceId, t.clock.now(), t.database.url, message.plan),
            });
            break;
          case 'close':
            await close();
            break;
        }
      } catch (err) {
        send({
          type: 'error',
          id: message.id,
          message: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
      }
    })();
  });
  // The parent went away (crash, Ctrl-C) or a signal came: drop the database instead of leaving it behind.
  // Nest's own shutdown hooks would exit before the database is dropped, so they make way for this one.
  process.on('disconnect', () => void close());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => void close().finally(() => process.exit(1)));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench server failed: ${err instanceof Error ? (err.stack ?? err.message) : err}\n`);
  process.exit(1);
});
