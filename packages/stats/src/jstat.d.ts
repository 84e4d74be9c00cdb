// jstat ships no type declarations; these cover the functions this package calls.
declare module 'jstat' {
  interface Distribution {
    pdf(x: number, ...params: number[]): number;
    cdf(x: number, ...params: number[]): number;
    inv(p: number, ...params: number[]): number;
  }
  export const jStat: {
    normal: Distribution;
    studentt: Distribution;
    chisquare: Distribution;
    beta: Distribution;
    gamma: Distribution;
    centralF: Distribution;
    ibeta(x: number, a: number, b: number): number;
    ibetainv(p: number, a: number, b: number): number;
    betacf(x: number, a: number, b: number): number;
    gammaln(x: number): number;
    gammafn(x: number): number;
    lowRegGamma(a: number, x: number): number;
    gammapinv(p: number, a: number): number;
    betaln(a: number, b: number): number;
    erf(x: number): number;
    erfc(x: number): number;
    erfcinv(p: number): number;
  };
  export default jStat;
}
