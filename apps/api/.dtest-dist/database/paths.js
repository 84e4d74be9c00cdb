"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.repoRoot = repoRoot;
exports.prismaPaths = prismaPaths;
const node_fs_1 = require("node:fs");
const node_path_1 = __importDefault(require("node:path"));
/**
 * The repository root holds prisma/schema.prisma and prisma/migrations. It is found by walking up from this
 * file, so the same code works from src/ (tests, tsx) and from the compiled dist/.
 */
function repoRoot(start = __dirname) {
    let dir = node_path_1.default.resolve(start);
    for (;;) {
        if ((0, node_fs_1.existsSync)(node_path_1.default.join(dir, 'prisma', 'schema.prisma')))
            return dir;
        const parent = node_path_1.default.dirname(dir);
        if (parent === dir)
            throw new Error(`prisma/schema.prisma not found above ${start}`);
        dir = parent;
    }
}
function prismaPaths(root = repoRoot()) {
    return {
        schema: node_path_1.default.join(root, 'prisma', 'schema.prisma'),
        migrations: node_path_1.default.join(root, 'prisma', 'migrations'),
    };
}
//# sourceMappingURL=paths.js.map