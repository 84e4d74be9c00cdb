export {
  validateConversionPaths,
  type AttributionModel,
  type AttributionResult,
  type ChannelCredit,
  type ConversionPath,
  type ValidatedPaths,
} from './paths';
export * from './rules';
export * from './markov';
export * from './shapley';
