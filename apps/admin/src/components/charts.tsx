/**
 * Shared chart vocabulary. Colours are the Okabe & Ito (2008) colour-blind-safe set; every series is also told
 * apart by a second cue (solid vs dashed lines, hatching on costs, marker shapes) and by a text label, so the
 * charts read in greyscale print and for readers who do not see the colours.
 */

export const COLOURS = {
  blue: '#0072B2',
  orange: '#E69F00',
  green: '#009E73',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  sky: '#56B4E9',
  yellow: '#F0E442',
  black: '#000000',
  grey: '#595959',
  grid: '#d0d4da',
  ink: '#1f2933',
} as const;

/** Colour of a comparison or return, by what it means: good (green), bad (vermillion), unsure (grey). */
export function toneColour(tone: 'good' | 'bad' | 'neutral'): string {
  return tone === 'good' ? COLOURS.green : tone === 'bad' ? COLOURS.vermillion : COLOURS.grey;
}

export const AXIS_TICK = { fill: COLOURS.ink, fontSize: 12 } as const;

/** SVG patterns for fills that must survive greyscale: diagonal hatching (costs) and dots (uncertain). */
export function ChartPatterns({ id }: { id: string }) {
  return (
    <defs>
      <pattern
        id={`${id}-hatch`}
        width="6"
        height="6"
        patternUnits="userSpaceOnUse"
        patternTransform="rotate(45)"
      >
        <rect width="6" height="6" fill="#fbe3d3" />
        <line x1="0" y1="0" x2="0" y2="6" stroke={COLOURS.vermillion} strokeWidth="2.5" />
      </pattern>
      <pattern id={`${id}-dots`} width="5" height="5" patternUnits="userSpaceOnUse">
        <rect width="5" height="5" fill="#e6f1f8" />
        <circle cx="2.5" cy="2.5" r="1" fill={COLOURS.blue} />
      </pattern>
    </defs>
  );
}

interface IntervalBarProps {
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  domain: [number, number];
  tone: 'good' | 'bad' | 'neutral';
  /** Read out instead of the drawing. */
  label: string;
  width?: number;
  height?: number;
}

/**
 * A confidence interval drawn on a shared scale (a forest-plot row): the whiskers are the interval, the diamond
 * the estimate, the dashed line zero. An open end (one-sided interval) is an arrow to the edge.
 */
export function IntervalBar({
  estimate,
  lower,
  upper,
  domain,
  tone,
  label,
  width = 180,
  height = 22,
}: IntervalBarProps) {
  const [d0, d1] = domain;
  const pad = 6;
  const x = (v: number) => pad + ((Math.min(Math.max(v, d0), d1) - d0) / (d1 - d0)) * (width - 2 * pad);
  const mid = height / 2;
  const colour = toneColour(tone);
  const zero = x(0);
  const lo = lower === null ? pad : x(lower);
  const hi = upper === null ? width - pad : x(upper);
  return (
    <svg
      className="interval-bar"
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
    >
      <title>{label}</title>
      <line x1={zero} x2={zero} y1={2} y2={height - 2} stroke="#52606d" strokeDasharray="3 2" />
      {estimate !== null ? (
        <>
          <line x1={lo} x2={hi} y1={mid} y2={mid} stroke={colour} strokeWidth={3} />
          {lower === null ? (
            <path d={`M${lo} ${mid} l6 -4 v8 z`} fill={colour} />
          ) : (
            <line x1={lo} x2={lo} y1={mid - 5} y2={mid + 5} stroke={colour} strokeWidth={2} />
          )}
          {upper === null ? (
            <path d={`M${hi} ${mid} l-6 -4 v8 z`} fill={colour} />
          ) : (
            <line x1={hi} x2={hi} y1={mid - 5} y2={mid + 5} stroke={colour} strokeWidth={2} />
          )}
          <path
            d={`M${x(estimate)} ${mid - 6} l6 6 l-6 6 l-6 -6 z`}
            fill="#fff"
            stroke={colour}
            strokeWidth={2.5}
          />
        </>
      ) : null}
    </svg>
  );
}

/** A small key explaining the marks of the interval bars, shown once under a table. */
export function IntervalKey() {
  return (
    <p className="chart-key muted">
      <svg width="70" height="14" viewBox="0 0 70 14" aria-hidden="true">
        <line x1="4" x2="66" y1="7" y2="7" stroke={COLOURS.grey} strokeWidth="3" />
        <line x1="4" x2="4" y1="2" y2="12" stroke={COLOURS.grey} strokeWidth="2" />
        <line x1="66" x2="66" y1="2" y2="12" stroke={COLOURS.grey} strokeWidth="2" />
        <path d="M35 1 l6 6 l-6 6 l-6 -6 z" fill="#fff" stroke={COLOURS.grey} strokeWidth="2" />
      </svg>{' '}
      Diamond: best estimate. Whiskers: confidence interval. Dashed line: no change. Green means better,
      vermillion worse, grey not clear yet; the verdict is always written next to it.
    </p>
  );
}
