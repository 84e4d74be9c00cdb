import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { CalibrationCheck } from '@liftlab/contracts';
import { AXIS_TICK, COLOURS } from '../components/charts';
import { formatInt } from '../lib/format';

/**
 * Calibration vs holdout (Fader, Hardie & Lee 2005, fig. 3): mean purchase days per customer in the holdout
 * period, observed (blue bars) and forecast by the calibration fit (orange dashed line with square markers),
 * by the customers' repeat purchases in the calibration period. A table carries the same numbers.
 */
export function CalibrationChart({ check }: { check: CalibrationCheck }) {
  const rows = check.bins.map((b) => ({
    label: `${b.frequency}${b.andMore ? '+' : ''}`,
    actual: b.actual,
    predicted: b.predicted,
    customers: b.customers,
  }));
  return (
    <figure className="chart" aria-labelledby="calibration-caption">
      <div style={{ width: '100%', height: 280 }} aria-hidden="true">
        <ResponsiveContainer>
          <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
            <CartesianGrid stroke={COLOURS.grid} vertical={false} />
            <XAxis
              dataKey="label"
              tick={AXIS_TICK}
              label={{
                value: 'Repeat purchases in the calibration period',
                position: 'insideBottom',
                offset: -12,
              }}
            />
            <YAxis tick={AXIS_TICK} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(2) : String(v))} />
            <Legend verticalAlign="top" />
            <Bar dataKey="actual" name="Actual" fill={COLOURS.blue} />
            <Line
              dataKey="predicted"
              name="Predicted"
              stroke={COLOURS.orange}
              strokeWidth={2}
              strokeDasharray="6 3"
              dot={{ r: 4, shape: 'square' } as never}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption id="calibration-caption">
        Mean purchase days per customer in the {check.holdoutDays}-day holdout period: actual{' '}
        {formatInt(Math.round(check.totals.actual))} in total, predicted {check.totals.predicted.toFixed(0)} (
        {formatInt(check.customers)} customers fitted on the history before{' '}
        {check.calibrationEnd.slice(0, 10)}).
      </figcaption>
      <table className="table" data-testid="calibration-table">
        <thead>
          <tr>
            <th scope="col">Repeat purchases</th>
            <th scope="col">Customers</th>
            <th scope="col">Actual</th>
            <th scope="col">Predicted</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td>{formatInt(r.customers)}</td>
              <td>{r.actual.toFixed(2)}</td>
              <td>{r.predicted.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
