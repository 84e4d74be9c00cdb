import type { CohortRow } from '@liftlab/contracts';
import { formatInt, formatPercent } from '../lib/format';
import { heatCell, heatColumns } from './view';

/**
 * Retention heatmap: one row per cohort, one column per month since acquisition; each cell's shade and written
 * percentage are the share of the cohort's customers active that month. Months a cohort has not reached yet
 * stay empty.
 */
export function CohortHeatmap({ rows, total }: { rows: CohortRow[]; total: CohortRow | null }) {
  const columns = heatColumns(rows);
  const all = total ? [...rows, total] : rows;
  return (
    <div className="table-scroll">
      <table className="table table--compact" data-testid="cohort-heatmap">
        <caption className="visually-hidden">Share of each cohort active by month since acquisition</caption>
        <thead>
          <tr>
            <th scope="col">Cohort</th>
            <th scope="col">Customers</th>
            {columns.map((m) => (
              <th scope="col" key={m}>
                M{m}
              </th>
            ))}
            <th scope="col">30-day</th>
            <th scope="col">60-day</th>
            <th scope="col">90-day</th>
          </tr>
        </thead>
        <tbody>
          {all.map((row, i) => (
            <tr key={row.cohort} className={total && i === all.length - 1 ? 'row--total' : undefined}>
              <th scope="row">{row.cohort}</th>
              <td>{formatInt(row.customers)}</td>
              {columns.map((m) => {
                const cell = row.cells[m];
                if (!cell) return <td key={m} aria-label="not observed yet" />;
                const style = heatCell(cell.retention);
                return (
                  <td
                    key={m}
                    style={{ ...style, textAlign: 'center' }}
                    data-cell={`${row.cohort}:${m}`}
                    title={`${cell.activeCustomers} of ${cell.customers} customers active`}
                  >
                    {formatPercent(cell.retention, 0)}
                  </td>
                );
              })}
              {(['d30', 'd60', 'd90'] as const).map((k) => (
                <td key={k}>{row.nDay[k] === null ? '—' : formatPercent(row.nDay[k], 0)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
