import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  LabelList,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { SequenceResults } from '@liftlab/contracts';
import { AXIS_TICK, ChartPatterns, COLOURS } from '../components/charts';
import { formatInt, formatPercent } from '../lib/format';
import { FUNNEL_LABEL, FUNNEL_STEPS, type FunnelRow } from './results';

/** One Okabe–Ito colour per funnel step; the legend and the table beside it name each one. */
const STEP_COLOUR = {
  sent: COLOURS.blue,
  delivered: COLOURS.sky,
  opened: COLOURS.green,
  clicked: COLOURS.orange,
  converted: COLOURS.vermillion,
} as const;

/** Funnel per touch: sent → delivered → opened → clicked → converted, side by side for each touch. */
export function FunnelChart({ rows }: { rows: FunnelRow[] }) {
  const data = rows.map((r) => ({ label: r.label, ...r.counts }));
  return (
    <figure
      className="chart"
      aria-label="Messages per touch: sent, delivered, opened, clicked and converted"
      data-testid="funnel-chart"
    >
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={data} margin={{ top: 16, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke={COLOURS.grid} vertical={false} />
          <XAxis dataKey="label" tick={AXIS_TICK} interval={0} />
          <YAxis tick={AXIS_TICK} allowDecimals={false} width={48} />
          <Tooltip />
          <Legend itemSorter={null} />
          {FUNNEL_STEPS.map((step) => (
            <Bar
              key={step}
              dataKey={step}
              name={FUNNEL_LABEL[step]}
              fill={STEP_COLOUR[step]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/**
 * Reactivation rate of each arm. The holdout bar is dotted (a second cue besides the colour). The uncertainty is
 * that of the difference, computed by the API, and drawn on the shared interval bar next to this chart.
 */
export function ReactivationChart({ reactivation }: { reactivation: SequenceResults['reactivation'] }) {
  const arms = [
    {
      arm: 'Holdout',
      rate: reactivation.holdout.rate ?? 0,
      n: reactivation.holdout.n,
      reactivated: reactivation.holdout.reactivated,
    },
    {
      arm: 'Treated',
      rate: reactivation.treated.rate ?? 0,
      n: reactivation.treated.n,
      reactivated: reactivation.treated.reactivated,
    },
  ].map((a) => ({
    ...a,
    text: `${formatPercent(a.rate)} (${formatInt(a.reactivated)} of ${formatInt(a.n)})`,
  }));
  return (
    <figure
      className="chart"
      aria-label={`Reactivation rate: holdout ${arms[0]?.text}, treated ${arms[1]?.text}`}
      data-testid="reactivation-chart"
    >
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={arms} margin={{ top: 24, right: 16, bottom: 8, left: 8 }}>
          <ChartPatterns id="reactivation" />
          <CartesianGrid strokeDasharray="3 3" stroke={COLOURS.grid} vertical={false} />
          <XAxis dataKey="arm" tick={AXIS_TICK} />
          <YAxis
            tick={AXIS_TICK}
            tickFormatter={(v: number) => formatPercent(v, 0)}
            width={48}
            domain={[0, (max: number) => Math.min(1, Math.max(0.05, max * 1.25))]}
          />
          <Tooltip formatter={(v) => formatPercent(Number(v))} />
          <Bar dataKey="rate" name="Reactivation rate" isAnimationActive={false}>
            {arms.map((a) => (
              <Cell
                key={a.arm}
                fill={a.arm === 'Holdout' ? 'url(#reactivation-dots)' : COLOURS.blue}
                stroke={COLOURS.blue}
                strokeWidth={1.5}
              />
            ))}
            <LabelList dataKey="text" position="top" fill={COLOURS.ink} fontSize={12} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
