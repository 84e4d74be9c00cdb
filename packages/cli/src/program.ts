import { Command, CommanderError } from 'commander';
import { analyzeCommand } from './commands/analyze';
import { attributionCommand } from './commands/attribution';
import { clvCommand } from './commands/clv';
import { demoCommand } from './commands/demo';
import { importCommand } from './commands/import';
import { powerCommand } from './commands/power';
import { roiCommand } from './commands/roi';
import { describeError, EXIT_BAD_INPUT } from './errors';
import { processIO, type CliIO } from './io';

declare const __LIFTLAB_VERSION__: string | undefined;

const VERSION = typeof __LIFTLAB_VERSION__ === 'string' ? __LIFTLAB_VERSION__ : '0.0.0-dev';

/** The `liftlab` command tree, writing to `io`; errors surface as exceptions (see `run`). */
export function createProgram(io: CliIO = processIO): Command {
  const program = new Command('liftlab')
    .description(
      'Analyse experiments, plan sample sizes and prove the incremental return of retention campaigns.',
    )
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)');
  // Subcommands inherit exitOverride and the output configuration when added after them.
  for (const command of [
    analyzeCommand(io),
    powerCommand(io),
    roiCommand(io),
    demoCommand(io),
    importCommand(io),
    attributionCommand(io),
    clvCommand(io),
  ]) {
    command
      .exitOverride()
      .configureOutput(program.configureOutput())
      .showHelpAfterError('(add --help for usage)');
    program.addCommand(command);
  }
  return program;
}

/**
 * Runs `liftlab` with the given arguments (without `node` and the script) and returns the exit code:
 * 0 on success, 2 for bad input (unknown option, missing or invalid field), 1 for any other failure.
 */
export async function run(args: readonly string[], io: CliIO = processIO): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help / version).
      return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    const { message, exitCode } = describeError(error);
    io.stderr.write(`${message}\n`);
    return exitCode;
  }
}
