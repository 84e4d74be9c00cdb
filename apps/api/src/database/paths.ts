import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository root holds prisma/schema.prisma and prisma/migrations. It is found by walking up from this
 * file, so the same code works from src/ (tests, tsx) and from the compiled dist/.
 */
export function repoRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, 'prisma', 'schema.prisma'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`prisma/schema.prisma not found above ${start}`);
    dir = parent;
  }
}

export interface PrismaPaths {
  schema: string;
  migrations: string;
}

export function prismaPaths(root: string = repoRoot()): PrismaPaths {
  return {
    schema: path.join(root, 'prisma', 'schema.prisma'),
    migrations: path.join(root, 'prisma', 'migrations'),
  };
}
