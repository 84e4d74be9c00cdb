import { Command } from 'commander';
import type { AnalysisInput } from '@liftlab/stats';
import { writeJson, type CliIO } from '../io';
import { addAnalysisFlags, applyFlags, type AnalysisFlags } from '../options';
import { analyzeWithFlags, reportWarnings } from './analyze';

/** A two-arm revenue-per-customer test, the example of docs/cli.md. */
export const DEMO_INPUT: AnalysisInput = {
  metric: { type: 'mean', cuped: false },
  variants: [
    { key: 'control', weight: 0.5, n: 3407, sum: 1396.87, sumSquares: 52377.9767 },
    { key: 'treatment', weight: 0.5, n: 3461, sum: 2422.7, sumSquares: 134698.29 },
  ],
  options: {
    engine: 'frequentist',
    alpha: 0.05,
    alternative: 'two-sided',
    difference: 'relative',
    sequentialTuning: 5000,
    prior: { mean: 0, variance: 0.09 },
    correction: 'holm',
  },
};

export function demoCommand(io: CliIO): Command {
  const command = new Command('demo')
    .summary('analyse a built-in example experiment')
    .description(
      'Analyse a built-in two-arm revenue test and print the input and the results as JSON.\n' +
        'The analysis flags change the example options, e.g. `liftlab demo --engine bayesian`.',
    );
  addAnalysisFlags(command);
  return command.action((flags: AnalysisFlags) => {
    const input = applyFlags(DEMO_INPUT, flags);
    const result = analyzeWithFlags(input, flags);
    writeJson(io, { input, ...result });
    reportWarnings(io, result);
  });
}
