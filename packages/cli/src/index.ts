/** Programmatic entry of the `liftlab` command line: run it in-process, or reuse its streaming CSV reader. */
export { run, createProgram } from './program';
export type { CliIO } from './io';
export { CliInputError, EXIT_BAD_INPUT, EXIT_FAILURE } from './errors';
export {
  accumulateCsv,
  toAnalysisInput,
  ArmAccumulator,
  CompensatedSum,
  REJECTED_EXAMPLES,
  MAX_VARIANTS,
  type AccumulateOptions,
  type CsvAccumulation,
  type CsvColumns,
  type RejectedRow,
} from './csv';
export { DEMO_INPUT } from './commands/demo';
