// Customer lifetime value: buy-till-you-die purchase models, spend, contractual retention.
export { digamma, hypergeometric2F1 } from './special';
export type { CustomerRfm, CustomerRfmColumns, CustomerRfmInput } from './customers';
export type { ClvFitDiagnostics, ClvFitOptions } from './fit';
export {
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesNew,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  fitBgNbd,
  type BgNbdFit,
  type BgNbdParams,
} from './bgnbd';
export {
  fitParetoNbd,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesNew,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  type ParetoNbdFit,
  type ParetoNbdParams,
} from './pareto-nbd';
export {
  fitGammaGamma,
  gammaGammaExpectedSpend,
  gammaGammaLogLikelihood,
  type CustomerSpend,
  type CustomerSpendColumns,
  type CustomerSpendInput,
  type GammaGammaFit,
  type GammaGammaParams,
} from './gamma-gamma';
export {
  fitShiftedBetaGeometric,
  sbgDiscountedExpectedLifetime,
  sbgDiscountedExpectedResidualLifetime,
  sbgExpectedLifetime,
  sbgRetentionCurve,
  type SbgDiscountOptions,
  type SbgFit,
  type SbgParams,
  type SbgRetentionCurve,
} from './sbg';
export {
  CLV_UNITS_PER_MONTH,
  discountedClv,
  type ClvTimeUnit,
  type DiscountedClv,
  type DiscountedClvInput,
} from './clv';
