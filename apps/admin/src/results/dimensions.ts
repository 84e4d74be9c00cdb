/** Breakdown keys of the analysis → names people use. Traits keep their own name. */
const LABELS: Record<string, string> = {
  segment: 'Segment',
  acquisitionChannel: 'Acquisition channel',
  acquisitionCohort: 'Acquisition cohort (month)',
  plan: 'Plan',
  country: 'Country',
};

export function dimensionLabel(key: string): string {
  if (LABELS[key]) return LABELS[key];
  if (key.startsWith('trait.')) return `Trait: ${key.slice('trait.'.length)}`;
  return key;
}
