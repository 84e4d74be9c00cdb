/**
 * The portfolio as CSV (RFC 4180), as a printable HTML page, and as the digest e-mail. Pure.
 */
import type { Portfolio, PortfolioCampaign, PortfolioTotals } from '@liftlab/contracts';

export const PORTFOLIO_CSV_COLUMNS = [
  'campaign_key',
  'campaign_name',
  'program',
  'launch_date',
  'verdict',
  'roi',
  'roi_lower',
  'roi_upper',
  'shrunk_roi',
  'incremental_margin_pv',
  'costs_pv',
  'net_pv',
  'shrunk_net_pv',
  'target_roi',
  'recommendation',
  'reason',
] as const;

/**
 * One CSV field. Quoted when it holds a comma, quote or line break (RFC 4180). Text that a spreadsheet would
 * run as a formula (leading =, +, -, @, tab, CR) is prefixed with an apostrophe (OWASP "CSV injection").
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function portfolioCsv(portfolio: Portfolio): string {
  const rows = portfolio.campaigns.map((c) => [
    c.key,
    c.name,
    c.programKey,
    c.launchDate,
    c.verdict ?? 'not_measurable',
    c.roi?.estimate ?? null,
    c.roi?.lower ?? null,
    c.roi?.upper ?? null,
    c.shrunkRoi,
    c.incrementalMarginPv,
    c.costsPv,
    c.netPv,
    c.shrunkNetPv,
    c.targetRoi,
    c.recommendation,
    c.reason,
  ]);
  return [PORTFOLIO_CSV_COLUMNS as readonly string[], ...rows]
    .map((row) => row.map((v) => csvField(v)).join(','))
    .join('\r\n')
    .concat('\r\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function formatMoney(x: number | null): string {
  if (x === null) return '—';
  return Math.round(x).toLocaleString('en-US');
}

export function formatPercent(x: number | null): string {
  if (x === null) return '—';
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

const VERDICT_LABEL: Record<string, string> = {
  proven: 'Proven',
  incremental_not_profitable: 'Incremental, not yet profitable',
  unproven: 'Unproven',
  blocked_by_srm: 'Blocked by sample-ratio mismatch',
};

function verdictLabel(c: PortfolioCampaign): string {
  return c.verdict ? (VERDICT_LABEL[c.verdict] ?? c.verdict) : 'Not measurable yet';
}

function headline(t: PortfolioTotals): Array<[string, string]> {
  return [
    ['Campaigns launched', String(t.campaigns)],
    ['Proven', String(t.byVerdict.proven ?? 0)],
    ['Proven incremental margin (PV, after shrinkage)', formatMoney(t.provenIncrementalMarginPvShrunk)],
    ['Proven incremental margin (PV, as measured)', formatMoney(t.provenIncrementalMarginPv)],
    ['Proven net return (PV, after shrinkage)', formatMoney(t.provenNetPvShrunk)],
    ['Pooled ROI of measurable campaigns', formatPercent(t.pooledRoi)],
    ['Costs (PV)', formatMoney(t.costsPv)],
  ];
}

/** A self-contained page with a print stylesheet: what the executive portfolio prints as. */
export function portfolioHtml(portfolio: Portfolio): string {
  const { period, previousPeriod, totals, previousTotals } = portfolio;
  const rows = portfolio.campaigns
    .map(
      (c) => `<tr>
  <td>${escapeHtml(c.name)}<br><small>${escapeHtml(c.key)} · ${escapeHtml(c.programKey)}</small></td>
  <td>${escapeHtml(c.launchDate)}</td>
  <td>${escapeHtml(verdictLabel(c))}</td>
  <td class="n">${c.roi ? `${formatPercent(c.roi.estimate)}<br><small>${formatPercent(c.roi.lower)} to ${formatPercent(c.roi.upper)}</small>` : '—'}</td>
  <td class="n">${formatPercent(c.shrunkRoi)}</td>
  <td class="n">${formatMoney(c.netPv)}</td>
  <td>${escapeHtml(c.recommendation.replace('_', ' '))}</td>
</tr>`,
    )
    .join('\n');
  const cards = headline(totals)
    .map(
      ([label, value]) =>
        `<div class="card"><div class="v">${escapeHtml(value)}</div><div>${escapeHtml(label)}</div></div>`,
    )
    .join('\n');
  const list = (keys: string[]) => (keys.length ? keys.map(escapeHtml).join(', ') : 'none');
  const bands = portfolio.distribution.bands
    .map(
      (b) =>
        `<tr><td>${b.from === null ? 'below' : formatPercent(b.from)} ${b.from !== null && b.to !== null ? 'to' : ''} ${b.to === null ? 'and above' : formatPercent(b.to)}</td><td class="n">${b.count}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Campaign portfolio ${escapeHtml(period.from)} to ${escapeHtml(period.to)}</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; color: #111; margin: 2rem; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  .muted, small { color: #555; }
  .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: .75rem; margin: 1rem 0; }
  .card { border: 1px solid #ccc; border-radius: 6px; padding: .6rem .8rem; }
  .card .v { font-size: 1.3rem; font-weight: 600; }
  table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
  th, td { border-bottom: 1px solid #ddd; padding: .35rem .5rem; text-align: left; vertical-align: top; }
  td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
  @media print {
    body { margin: 0; font-size: 10pt; }
    .card { break-inside: avoid; }
    tr { break-inside: avoid; }
    a { color: inherit; text-decoration: none; }
    @page { size: A4 landscape; margin: 12mm; }
  }
</style>
</head>
<body>
<h1>Campaign portfolio</h1>
<div class="muted">Campaigns launched ${escapeHtml(period.from)} to ${escapeHtml(period.to)} · generated ${escapeHtml(portfolio.generatedAt)}</div>
<div class="cards">
${cards}
</div>
<p>Previous period (${escapeHtml(previousPeriod.from)} to ${escapeHtml(previousPeriod.to)}): ${previousTotals.campaigns} campaigns, pooled ROI ${formatPercent(previousTotals.pooledRoi)}, proven incremental margin after shrinkage ${formatMoney(previousTotals.provenIncrementalMarginPvShrunk)}.</p>
<p><strong>Scale:</strong> ${list(portfolio.scale)} · <strong>Stop:</strong> ${list(portfolio.stop)}</p>
<h2>Campaigns</h2>
<table>
<thead><tr><th>Campaign</th><th>Launch</th><th>Verdict</th><th class="n">ROI (interval)</th><th class="n">ROI after shrinkage</th><th class="n">Net return (PV)</th><th>Recommendation</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>ROI distribution</h2>
<table>
<thead><tr><th>ROI band</th><th class="n">Campaigns</th></tr></thead>
<tbody>
${bands}
</tbody>
</table>
<p class="muted">Money is discounted at each campaign's rate over its horizon. The proven total shrinks each campaign's ROI toward the portfolio mean (empirical Bayes) so that summing the winners does not overstate what the portfolio earns.</p>
</body>
</html>
`;
}

/** The digest e-mail: headline numbers, what to scale and stop, and a link to the full page. */
export function digestMessage(
  portfolio: Portfolio,
  link: string,
): { subject: string; text: string; html: string } {
  const t = portfolio.totals;
  const subject =
    `Liftlab portfolio ${portfolio.period.from} to ${portfolio.period.to}: ` +
    `${t.byVerdict.proven ?? 0} proven of ${t.campaigns}, ` +
    `proven margin ${formatMoney(t.provenIncrementalMarginPvShrunk)}`;
  const lines = headline(t).map(([label, value]) => `${label}: ${value}`);
  const change = portfolio.trend.pooledRoiChange;
  const trend =
    `Against ${portfolio.previousPeriod.from} to ${portfolio.previousPeriod.to}: pooled ROI ` +
    (change === null
      ? 'not comparable'
      : `${change >= 0 ? 'up' : 'down'} ${Math.abs(change * 100).toFixed(1)} points`) +
    `, proven margin after shrinkage ${portfolio.trend.provenIncrementalMarginPvShrunkChange >= 0 ? 'up' : 'down'} ` +
    `${formatMoney(Math.abs(portfolio.trend.provenIncrementalMarginPvShrunkChange))}.`;
  const scale = `Scale: ${portfolio.scale.join(', ') || 'none'}`;
  const stop = `Stop: ${portfolio.stop.join(', ') || 'none'}`;
  const text = [subject, '', ...lines, '', trend, scale, stop, '', `Full portfolio: ${link}`, ''].join('\n');
  const html = `<!doctype html><html><body style="font:14px/1.4 system-ui,sans-serif">
<h2 style="font-size:16px">${escapeHtml(subject)}</h2>
<table>${headline(t)
    .map(
      ([l, v]) =>
        `<tr><td>${escapeHtml(l)}</td><td style="text-align:right"><strong>${escapeHtml(v)}</strong></td></tr>`,
    )
    .join('')}</table>
<p>${escapeHtml(trend)}</p>
<p>${escapeHtml(scale)}<br>${escapeHtml(stop)}</p>
<p><a href="${escapeHtml(link)}">Open the full portfolio</a></p>
</body></html>`;
  return { subject, text, html };
}
