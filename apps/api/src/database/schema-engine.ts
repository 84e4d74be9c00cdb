import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm' with { 'resolution-mode': 'import' };
import { readFile } from 'node:fs/promises';

type SchemaEngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg', {
  with: { 'resolution-mode': 'import' },
});

/** The slice of the WebAssembly API used here (the Node typings in use do not declare the global). */
type ModuleImports = Record<string, unknown>;
interface WasmApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, ModuleImports>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let enginePromise: Promise<SchemaEngineModule> | undefined;

/**
 * The Prisma schema engine compiled to WebAssembly: migrations are diffed and applied in-process through a driver
 * adapter, so no native engine binary (and no download) is needed. The package's own entry imports the .wasm
 * as an ES module, which Node cannot do, so the bindings are wired to the instantiated module here.
 */
function loadEngineModule(): Promise<SchemaEngineModule> {
  enginePromise ??= (async () => {
    const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bindings: SchemaEngineModule = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(bindingsPath.replace(/\.js$/, '.wasm'));
    const { instance } = await wasmApi.instantiate(bytes, {
      './schema_engine_bg.js': withUnrefTimers(bindings),
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  enginePromise.catch(() => {
    enginePromise = undefined;
  });
  return enginePromise;
}

/**
 * The engine arms 10-second timers (query timeouts) that outlive the call and would keep a CLI process alive
 * after its work is done; unref'd, they still fire while the process has other work.
 */
function withUnrefTimers(bindings: SchemaEngineModule): ModuleImports {
  const imports: ModuleImports = { ...(bindings as unknown as ModuleImports) };
  for (const [name, value] of Object.entries(imports)) {
    if (!name.startsWith('__wbg_setTimeout') || typeof value !== 'function') continue;
    imports[name] = (...args: unknown[]) => {
      const timer = (value as (...a: unknown[]) => unknown)(...args);
      (timer as { unref?: () => void } | null)?.unref?.();
      return timer;
    };
  }
  return imports;
}

export interface EngineLog {
  level: string;
  message: string;
}

/**
 * Runs `fn` with a schema engine connected through `factory`. Every connection the engine opens (main and shadow
 * database) is disposed afterwards, so pools and in-memory shadow databases never outlive the call.
 */
export async function withSchemaEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  fn: (engine: SchemaEngine) => Promise<T>,
  onLog?: (log: EngineLog) => void,
): Promise<T> {
  const bindings = await loadEngineModule();
  const opened: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(opened, await factory.connect()),
    connectToShadowDb: async () => track(opened, await factory.connectToShadowDb()),
  };
  const engine = await bindings.SchemaEngine.new(
    { datamodels: undefined },
    (line: string) => onLog?.(parseLog(line)),
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await Promise.allSettled(opened.map((a) => a.dispose()));
  }
}

/** Keeps a handle on each connection; a second dispose (engine, then us) is a no-op. */
function track(opened: SqlDriverAdapter[], adapter: SqlDriverAdapter): SqlDriverAdapter {
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    await adapter.dispose();
  };
  const connectionInfo = adapter.getConnectionInfo?.bind(adapter);
  const wrapped: SqlDriverAdapter = {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (q) => adapter.queryRaw(q),
    executeRaw: (q) => adapter.executeRaw(q),
    executeScript: (script) => adapter.executeScript(script),
    startTransaction: (level) => adapter.startTransaction(level),
    ...(connectionInfo ? { getConnectionInfo: connectionInfo } : {}),
    dispose,
  };
  opened.push(wrapped);
  return wrapped;
}

function parseLog(line: string): EngineLog {
  try {
    const parsed = JSON.parse(line) as { level?: string; fields?: { message?: string } };
    return { level: parsed.level ?? 'INFO', message: parsed.fields?.message ?? line };
  } catch {
    return { level: 'INFO', message: line };
  }
}
