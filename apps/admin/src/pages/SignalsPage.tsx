import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { HealthSignal, SignalBoardRule } from '@liftlab/contracts';
import { useSession } from '../auth/session';
import { ErrorNotice } from '../components/Notice';
import { formatDateTime, formatInt } from '../lib/format';
import { sequencesApi, sequenceKeys } from '../sequences/api';
import '../sequences/sequences.css';
import { dueText } from '../sequences/outbox';
import { detailsText, SLA_LABEL } from '../sequences/signals';

/** The board follows the evaluations (hourly by default) and the clock (SLA breaches); it refreshes this often. */
const POLL_MS = 30_000;

export function SignalsPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const team = params.get('team') ?? '';
  const board = useQuery({
    queryKey: sequenceKeys.signalBoard(team),
    queryFn: () => sequencesApi.signalBoard({ ownerTeam: team || undefined, perRule: 50 }),
    refetchInterval: POLL_MS,
  });
  const all = useQuery({
    queryKey: sequenceKeys.signalBoard(''),
    queryFn: () => sequencesApi.signalBoard({ perRule: 50 }),
    enabled: team !== '',
  });
  const teams = (team ? all.data : board.data)?.teams.map((t) => t.ownerTeam) ?? [];
  const now = new Date();
  const canResolve = session.can('signals.resolve');

  return (
    <section className="page" aria-labelledby="signals-title">
      <h1 id="signals-title">Signals</h1>
      <p className="lead">
        Open health signals by owner team and rule, oldest first. A signal still open after its rule’s
        response time is an SLA breach.
      </p>
      <div className="toolbar seq-toolbar">
        <label htmlFor="signal-team">Owner team</label>
        <select
          id="signal-team"
          value={team}
          onChange={(e) => setParams(e.target.value ? { team: e.target.value } : {})}
        >
          <option value="">All teams</option>
          {teams.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <ErrorNotice error={board.error} />
      {board.isPending ? (
        <p role="status">Loading signals…</p>
      ) : board.data ? (
        <>
          <dl className="stats" data-testid="signal-totals">
            <div>
              <dt>Open</dt>
              <dd>{formatInt(board.data.open)}</dd>
            </div>
            <div>
              <dt>Due soon</dt>
              <dd>{formatInt(board.data.dueSoon)}</dd>
            </div>
            <div>
              <dt>SLA breached</dt>
              <dd
                className={board.data.breached > 0 ? 'sla--breached' : undefined}
                data-testid="signals-breached"
              >
                {formatInt(board.data.breached)}
              </dd>
            </div>
          </dl>
          {board.data.teams.length === 0 ? (
            <p className="empty">No open signal. Nothing needs attention.</p>
          ) : null}
          {board.data.teams.map((t) => (
            <section key={t.ownerTeam} className="board-team" aria-labelledby={`team-${t.ownerTeam}`}>
              <h2 id={`team-${t.ownerTeam}`}>
                {t.ownerTeam}{' '}
                <span className="muted">
                  {formatInt(t.open)} open
                  {t.breached > 0 ? (
                    <>
                      , <span className="badge sla--breached">{formatInt(t.breached)} breached</span>
                    </>
                  ) : null}
                </span>
              </h2>
              {t.rules.map((r) => (
                <RuleCard key={r.ruleId} rule={r} now={now} canResolve={canResolve} />
              ))}
            </section>
          ))}
        </>
      ) : null}
    </section>
  );
}

function RuleCard({ rule, now, canResolve }: { rule: SignalBoardRule; now: Date; canResolve: boolean }) {
  return (
    <section className="card" aria-labelledby={`rule-${rule.ruleId}`} data-testid={`rule-${rule.ruleKey}`}>
      <div className="card__header">
        <h3 id={`rule-${rule.ruleId}`}>{rule.ruleName}</h3>
        <span className="muted">
          {formatInt(rule.open)} open · {formatInt(rule.dueSoon)} due soon · {formatInt(rule.breached)}{' '}
          breached
        </span>
      </div>
      <p className="muted">
        {rule.description}. Respond within {rule.slaHours} h.
      </p>
      <table className="table table--compact">
        <thead>
          <tr>
            <th scope="col">Customer</th>
            <th scope="col">Opened</th>
            <th scope="col">Response</th>
            <th scope="col">Measured</th>
            <th scope="col">Intervention</th>
            {canResolve ? (
              <th scope="col">
                <span className="visually-hidden">Resolve</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rule.signals.map((s) => (
            <SignalRow key={s.id} signal={s} now={now} canResolve={canResolve} />
          ))}
        </tbody>
      </table>
      {rule.signals.length < rule.open ? (
        <p className="muted">
          The {rule.signals.length} oldest of {formatInt(rule.open)} open signals are shown.
        </p>
      ) : null}
    </section>
  );
}

function SignalRow({ signal: s, now, canResolve }: { signal: HealthSignal; now: Date; canResolve: boolean }) {
  const queryClient = useQueryClient();
  const resolve = useMutation({
    mutationFn: () => sequencesApi.resolveSignal(s.id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['signals'] }),
  });
  const intervention = s.intervention;
  return (
    <tr className={s.sla === 'breached' ? 'row--breached' : undefined} data-testid={`signal-${s.id}`}>
      <td className="mono">
        <Link to={`/customers/${encodeURIComponent(s.customerExternalId)}`}>{s.customerExternalId}</Link>
      </td>
      <td>{formatDateTime(s.openedAt)}</td>
      <td>
        <span className={`badge sla--${s.sla}`} data-sla={s.sla}>
          {SLA_LABEL[s.sla]}
        </span>
        <div className="cell-sub">{dueText(s.dueAt, now)}</div>
      </td>
      <td>{detailsText(s.details)}</td>
      <td>
        {s.interventionAt ? (
          <>
            {typeof intervention?.type === 'string' ? intervention.type : 'Applied'}
            <div className="cell-sub">{formatDateTime(s.interventionAt)}</div>
          </>
        ) : (
          <span className="muted">Pending</span>
        )}
      </td>
      {canResolve ? (
        <td>
          <button
            type="button"
            className="button button--small"
            disabled={resolve.isPending}
            onClick={() => resolve.mutate()}
          >
            Resolve
          </button>
          <ErrorNotice error={resolve.error} />
        </td>
      ) : null}
    </tr>
  );
}
