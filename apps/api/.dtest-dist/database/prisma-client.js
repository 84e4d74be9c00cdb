"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PrismaClient = void 0;
exports.createPrismaClient = createPrismaClient;
const client_1 = require("../generated/prisma/client");
Object.defineProperty(exports, "PrismaClient", { enumerable: true, get: function () { return client_1.PrismaClient; } });
const adapters_1 = require("./adapters");
/**
 * PrismaClient for the configured database: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set,
 * otherwise the embedded PGlite database under DATA_DIR/pglite (`'memory'`: in RAM, for tests).
 */
function createPrismaClient(target) {
    const adapter = (0, adapters_1.createDatabaseAdapter)(target);
    const prisma = new client_1.PrismaClient({ adapter: adapter.client });
    return {
        prisma,
        adapter,
        close: async () => {
            await prisma.$disconnect();
            await adapter.close();
        },
    };
}
//# sourceMappingURL=prisma-client.js.map