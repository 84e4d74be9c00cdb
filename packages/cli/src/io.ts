import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { CliInputError } from './errors';

/** Where a command reads and writes; the bin passes the process's streams, tests pass their own. */
export interface CliIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
}

export const processIO: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

async function readStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The text of a file, or of standard input when `path` is '-'. */
export async function readText(path: string, io: CliIO, field: string): Promise<string> {
  if (path === '-') return readStream(io.stdin);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliInputError(field, `cannot read "${path}": ${describeFsError(error)}`);
  }
}

/** Parses JSON, naming the source in the error rather than dumping a parser stack. */
export function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CliInputError(field, `is not valid JSON (${detail})`);
  }
}

/** A readable stream of a file (or standard input for '-') and its size in bytes when known. */
export async function openInput(
  path: string,
  io: CliIO,
  field: string,
): Promise<{ stream: Readable; size: number | undefined }> {
  if (path === '-') return { stream: io.stdin, size: undefined };
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    return { stream: createReadStream(path, { highWaterMark: 1 << 20 }), size: info.size };
  } catch (error) {
    throw new CliInputError(field, `cannot read "${path}": ${describeFsError(error)}`);
  }
}

/** JSON on stdout; infinite values (one-sided interval bounds) print as null. */
export function writeJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function warn(io: CliIO, message: string): void {
  io.stderr.write(`warning: ${message}\n`);
}
