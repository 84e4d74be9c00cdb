import {
  Area,
  Bar,
  CartesianGrid,
  Cell,
  ComposedChart,
  ErrorBar,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { AXIS_TICK, ChartPatterns, COLOURS } from '../components/charts';
import { formatAmount } from '../lib/format';
import type { PaybackCurve, WaterfallStep } from './money';

/** Short axis numbers: 12k, 1.2M. */
function compact(n: number): string {
  return new Intl.NumberFormat('en-GB', { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

function signed(n: number): string {
  return n > 0 ? `+${formatAmount(n)}` : formatAmount(n);
}

/** Axis label of a waterfall bar with its amount underneath, so no number sits on top of a whisker. */
function StepTick(props: { x?: number; y?: number; payload?: { value?: string }; steps: WaterfallStep[] }) {
  const { x = 0, y = 0, payload, steps } = props;
  const step = steps.find((s) => s.label === payload?.value);
  return (
    <text x={x} y={y + 12} textAnchor="middle" fill={COLOURS.ink} fontSize={12}>
      <tspan x={x}>{payload?.value}</tspan>
      {step ? (
        <tspan x={x} dy={16} fontWeight={700}>
          {signed(step.value)}
        </tspan>
      ) : null}
    </text>
  );
}

/** The payback marker's words, to the right of the line and inside the plot. */
function PaybackLabel(props: { viewBox?: { x?: number; y?: number }; text: string }) {
  const { viewBox, text } = props;
  return (
    <text
      x={(viewBox?.x ?? 0) + 6}
      y={(viewBox?.y ?? 0) + 14}
      fill={COLOURS.ink}
      fontSize={12}
      textAnchor="start"
    >
      {text}
    </text>
  );
}

/**
 * ROI waterfall: margin by stream climbs (solid green), costs by category step down (hatched vermillion), the
 * net return is the last bar (blue), with its interval as whiskers. Each bar's amount is written under its name.
 */
export function WaterfallChart({ steps }: { steps: WaterfallStep[] }) {
  const data = steps.map((s) => ({
    ...s,
    netPoint: s.kind === 'net' ? s.value : null,
    netError: s.kind === 'net' && s.interval ? [s.value - s.interval[0], s.interval[1] - s.value] : null,
  }));
  const net = steps.find((s) => s.kind === 'net');
  return (
    <figure
      className="chart"
      aria-label="Waterfall from incremental margin by revenue stream, minus costs by category, to the net return"
      data-testid="roi-waterfall"
    >
      <ResponsiveContainer width="100%" height={300}>
        <ComposedChart data={data} margin={{ top: 24, right: 16, bottom: 8, left: 8 }}>
          <ChartPatterns id="waterfall" />
          <CartesianGrid strokeDasharray="3 3" stroke={COLOURS.grid} vertical={false} />
          <XAxis dataKey="label" tick={<StepTick steps={steps} />} interval={0} height={44} />
          <YAxis tick={AXIS_TICK} tickFormatter={compact} width={56} />
          <ReferenceLine y={0} stroke={COLOURS.ink} />
          <Tooltip
            formatter={(_value, _name, item) => {
              const step = (item as { payload?: WaterfallStep }).payload;
              if (!step) return ['', ''];
              const interval = step.interval
                ? ` (interval ${formatAmount(step.interval[0])} to ${formatAmount(step.interval[1])})`
                : '';
              return [`${signed(step.value)}${interval}`, step.label];
            }}
          />
          <Bar dataKey="range" isAnimationActive={false} name="Present value">
            {data.map((s) => (
              <Cell
                key={s.key}
                fill={
                  s.kind === 'margin'
                    ? COLOURS.green
                    : s.kind === 'cost'
                      ? 'url(#waterfall-hatch)'
                      : COLOURS.blue
                }
                stroke={
                  s.kind === 'margin' ? COLOURS.green : s.kind === 'cost' ? COLOURS.vermillion : COLOURS.blue
                }
                strokeWidth={1.5}
              />
            ))}
          </Bar>
          <Scatter
            dataKey="netPoint"
            fill={COLOURS.black}
            shape="diamond"
            isAnimationActive={false}
            legendType="none"
          >
            <ErrorBar dataKey="netError" width={10} strokeWidth={2} stroke={COLOURS.black} direction="y" />
          </Scatter>
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="muted">
        Present values over the horizon. Solid green: incremental margin by revenue stream. Hatched: costs by
        category. Blue: the net return
        {net?.interval
          ? `, ${signed(net.value)}, with whiskers for its interval (${formatAmount(net.interval[0])} to ${formatAmount(net.interval[1])})`
          : ''}
        .
      </figcaption>
    </figure>
  );
}

/**
 * Payback curve: cumulative discounted margin (solid green, its interval shaded) against cumulative discounted
 * costs (dashed vermillion); where the margin overtakes the costs for good, the campaign has paid back.
 */
export function PaybackChart({ curve, paybackMonth }: { curve: PaybackCurve; paybackMonth: number | null }) {
  return (
    <figure
      className="chart"
      aria-label="Cumulative discounted margin against cumulative discounted costs by month since launch"
      data-testid="payback-chart"
      data-curve-payback={curve.paybackMonth ?? 'never'}
    >
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart data={curve.points} margin={{ top: 16, right: 24, bottom: 16, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke={COLOURS.grid} />
          <XAxis
            dataKey="month"
            tick={AXIS_TICK}
            label={{ value: 'Months since launch', position: 'insideBottom', offset: -8, fontSize: 12 }}
          />
          <YAxis tick={AXIS_TICK} tickFormatter={compact} width={56} />
          <Tooltip
            formatter={(value, name) =>
              Array.isArray(value)
                ? [`${formatAmount(Number(value[0]))} to ${formatAmount(Number(value[1]))}`, name]
                : [formatAmount(Number(value)), name]
            }
            labelFormatter={(m) => `End of month ${String(m)}`}
          />
          <Legend verticalAlign="top" height={28} />
          <Area
            dataKey="marginBand"
            name="Margin interval"
            legendType="square"
            stroke={COLOURS.green}
            strokeDasharray="2 3"
            fill={COLOURS.green}
            fillOpacity={0.15}
            isAnimationActive={false}
          />
          <Line
            dataKey="margin"
            name="Cumulative margin"
            legendType="plainline"
            stroke={COLOURS.green}
            strokeWidth={2.5}
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
          <Line
            dataKey="costs"
            name="Cumulative costs"
            legendType="plainline"
            stroke={COLOURS.vermillion}
            strokeWidth={2.5}
            strokeDasharray="7 4"
            dot={{ r: 3, strokeDasharray: '' }}
            isAnimationActive={false}
          />
          {paybackMonth !== null ? (
            <ReferenceLine
              x={paybackMonth}
              stroke={COLOURS.ink}
              strokeDasharray="4 3"
              label={<PaybackLabel text={`Pays back in month ${paybackMonth}`} />}
            />
          ) : null}
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="muted">
        Solid line: cumulative discounted incremental margin, with its interval shaded. Dashed line:
        cumulative discounted costs.{' '}
        {paybackMonth !== null
          ? `The margin overtakes the costs for good in month ${paybackMonth}.`
          : 'On the best estimate the margin never overtakes the costs within the horizon.'}
      </figcaption>
    </figure>
  );
}
