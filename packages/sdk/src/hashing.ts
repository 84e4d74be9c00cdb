/**
 * Deterministic bucketing, compatible with GrowthBook's SDK specification (hash versions 1 and 2, bucket
 * ranges, namespaces). Any GrowthBook SDK given the same seed, id, weights, coverage and namespace puts a
 * customer in the same variant as Liftlab's server and this SDK.
 */

/** [start, end): a customer whose bucket falls inside belongs to the range. */
export type BucketRange = readonly [start: number, end: number];

/** A GrowthBook namespace: experiments sharing a namespace key take disjoint [start, end) slices. */
export type NamespaceSpec = readonly [key: string, start: number, end: number];

const FNV_OFFSET_BASIS_32 = 0x811c9dc5;

/**
 * 32-bit FNV-1a over UTF-16 code units (as JavaScript strings are indexed, and as GrowthBook hashes).
 * Multiplying by the FNV prime 16777619 = 2^24 + 2^8 + 0x93 is written as shifts so every step stays exact
 * in 53-bit float arithmetic; `>>> 0` keeps the low 32 bits.
 */
export function fnv1a32(input: string): number {
  let h = FNV_OFFSET_BASIS_32;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = (h + (h << 1) + (h << 4) + (h << 7) + (h << 8) + (h << 24)) >>> 0;
  }
  return h >>> 0;
}

/**
 * Maps (seed, id) to a bucket in [0, 1).
 * - version 2 (default for Liftlab experiments): fnv1a(str(fnv1a(seed + id))) % 10000 / 10000. Hashing the
 *   decimal string of the first hash removes the correlation between similar seeds that version 1 has.
 * - version 1 (GrowthBook's original, still used for namespaces): fnv1a(id + seed) % 1000 / 1000.
 * Any other version returns null: the caller must treat the customer as not in the experiment.
 */
export function hash(seed: string, id: string, version: number): number | null {
  if (version === 2) return (fnv1a32(String(fnv1a32(seed + id))) % 10000) / 10000;
  if (version === 1) return (fnv1a32(id + seed) % 1000) / 1000;
  return null;
}

/** n equal weights summing to 1; none for n ≤ 0. */
export function equalWeights(n: number): number[] {
  if (n <= 0) return [];
  return new Array<number>(n).fill(1 / n);
}

/**
 * Bucket range per variant. Variant i owns [c_i, c_i + coverage·w_i) where c_i is the sum of earlier weights,
 * so raising coverage only widens each range from its fixed start: nobody already in a variant moves.
 * Coverage is clamped to [0, 1]; weights of the wrong length or not summing to 1 ± 0.01 fall back to equal
 * weights (GrowthBook's rule).
 */
export function bucketRanges(numVariants: number, coverage = 1, weights?: readonly number[]): BucketRange[] {
  const cov = coverage < 0 ? 0 : coverage > 1 ? 1 : coverage;
  let w: readonly number[] = weights ?? equalWeights(numVariants);
  if (w.length !== numVariants) w = equalWeights(numVariants);
  const total = w.reduce((s, x) => s + x, 0);
  if (total < 0.99 || total > 1.01) w = equalWeights(numVariants);

  let cumulative = 0;
  return w.map((weight) => {
    const start = cumulative;
    cumulative += weight;
    return [start, start + cov * weight] as const;
  });
}

/** True when start ≤ n < end. */
export function inRange(n: number, range: BucketRange): boolean {
  return n >= range[0] && n < range[1];
}

/** Index of the range holding the bucket, or -1 when the bucket falls in a gap left by partial coverage. */
export function chooseVariant(bucket: number, ranges: readonly BucketRange[]): number {
  for (let i = 0; i < ranges.length; i++) {
    const range = ranges[i];
    if (range && inRange(bucket, range)) return i;
  }
  return -1;
}

/**
 * Namespace membership, as GrowthBook defines it: the id's version-1 hash with seed `__<namespace key>` must
 * fall in [start, end). The hash ignores the experiment, so experiments with disjoint slices of one namespace
 * never share a customer.
 */
export function inNamespace(id: string, namespace: NamespaceSpec): boolean {
  const n = hash(`__${namespace[0]}`, id, 1);
  if (n === null) return false;
  return n >= namespace[1] && n < namespace[2];
}
