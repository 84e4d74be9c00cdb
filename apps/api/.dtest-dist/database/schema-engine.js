"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.withSchemaEngine = withSchemaEngine;
const driver_adapter_utils_1 = require("@prisma/driver-adapter-utils");
const promises_1 = require("node:fs/promises");
const wasmApi = globalThis.WebAssembly;
let enginePromise;
/**
 * The Prisma schema engine compiled to WebAssembly: migrations are diffed and applied in-process through a driver
 * adapter, so no native engine binary (and no download) is needed. The package's own entry imports the .wasm
 * as an ES module, which Node cannot do, so the bindings are wired to the instantiated module here.
 */
function loadEngineModule() {
    enginePromise ??= (async () => {
        const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
        const bindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
        const bytes = await (0, promises_1.readFile)(bindingsPath.replace(/\.js$/, '.wasm'));
        const { instance } = await wasmApi.instantiate(bytes, {
            './schema_engine_bg.js': withUnrefTimers(bindings),
        });
        bindings.__wbg_set_wasm(instance.exports);
        instance.exports.__wbindgen_start();
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
function withUnrefTimers(bindings) {
    const imports = { ...bindings };
    for (const [name, value] of Object.entries(imports)) {
        if (!name.startsWith('__wbg_setTimeout') || typeof value !== 'function')
            continue;
        imports[name] = (...args) => {
            const timer = value(...args);
            timer?.unref?.();
            return timer;
        };
    }
    return imports;
}
/**
 * Runs `fn` with a schema engine connected through `factory`. Every connection the engine opens (main and shadow
 * database) is disposed afterwards, so pools and in-memory shadow databases never outlive the call.
 */
async function withSchemaEngine(factory, fn, onLog) {
    const bindings = await loadEngineModule();
    const opened = [];
    const tracked = {
        provider: factory.provider,
        adapterName: factory.adapterName,
        connect: async () => track(opened, await factory.connect()),
        connectToShadowDb: async () => track(opened, await factory.connectToShadowDb()),
    };
    const engine = await bindings.SchemaEngine.new({ datamodels: undefined }, (line) => onLog?.(parseLog(line)), (0, driver_adapter_utils_1.bindMigrationAwareSqlAdapterFactory)(tracked));
    try {
        return await fn(engine);
    }
    finally {
        engine.free();
        await Promise.allSettled(opened.map((a) => a.dispose()));
    }
}
/** Keeps a handle on each connection; a second dispose (engine, then us) is a no-op. */
function track(opened, adapter) {
    let disposed = false;
    const dispose = async () => {
        if (disposed)
            return;
        disposed = true;
        await adapter.dispose();
    };
    const connectionInfo = adapter.getConnectionInfo?.bind(adapter);
    const wrapped = {
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
function parseLog(line) {
    try {
        const parsed = JSON.parse(line);
        return { level: parsed.level ?? 'INFO', message: parsed.fields?.message ?? line };
    }
    catch {
        return { level: 'INFO', message: line };
    }
}
//# sourceMappingURL=schema-engine.js.map