import { useState, type FormEvent } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { TASK_OUTCOMES, type CallTask, type TaskOutcome, type TaskStatus } from '@liftlab/contracts';
import { useSession } from '../auth/session';
import { Field } from '../components/Field';
import { ErrorNotice } from '../components/Notice';
import { formatDateTime } from '../lib/format';
import { sequencesApi, sequenceKeys, type TaskFilters } from '../sequences/api';
import '../sequences/sequences.css';
import { dueText, OUTCOME_LABEL } from '../sequences/outbox';

const STATUS_TEXT: Record<TaskStatus, string> = { open: 'Open', done: 'Done', cancelled: 'Cancelled' };

/**
 * Call tasks: from a call-task touch or a health signal. "My tasks" are the ones whose owner is the signed-in
 * person's e-mail address (owners are free text: a person's address or a team queue).
 */
export function TasksPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const scope = params.get('scope') === 'all' ? 'all' : 'mine';
  const rawStatus = params.get('status');
  const status: TaskStatus | undefined =
    rawStatus === 'all'
      ? undefined
      : rawStatus && rawStatus in STATUS_TEXT
        ? (rawStatus as TaskStatus)
        : 'open';
  const me = session.user?.email ?? '';
  const filters: TaskFilters = { status, ...(scope === 'mine' ? { owner: me } : {}) };
  const list = useInfiniteQuery({
    queryKey: sequenceKeys.tasks(JSON.stringify(filters)),
    queryFn: ({ pageParam }) => sequencesApi.tasks({ ...filters, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const tasks = list.data?.pages.flatMap((p) => p.items) ?? [];
  const [completing, setCompleting] = useState<string | null>(null);
  const now = new Date();

  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(name, value);
    setParams(next);
  };

  return (
    <section className="page" aria-labelledby="tasks-title">
      <h1 id="tasks-title">Tasks</h1>
      <div className="toolbar seq-toolbar">
        <div className="segmented" role="radiogroup" aria-label="Whose tasks">
          <label>
            <input
              type="radio"
              name="scope"
              checked={scope === 'mine'}
              onChange={() => set('scope', 'mine')}
            />
            My tasks
          </label>
          <label>
            <input type="radio" name="scope" checked={scope === 'all'} onChange={() => set('scope', 'all')} />
            All tasks
          </label>
        </div>
        <label htmlFor="task-status">Status</label>
        <select
          id="task-status"
          value={rawStatus === 'all' ? 'all' : (status ?? 'open')}
          onChange={(e) => set('status', e.target.value)}
        >
          <option value="open">Open</option>
          <option value="done">Done</option>
          <option value="cancelled">Cancelled</option>
          <option value="all">All</option>
        </select>
      </div>
      {scope === 'mine' ? (
        <p className="muted">
          Tasks whose owner is <span className="mono">{me}</span>. Team queues show under All tasks.
        </p>
      ) : null}
      <ErrorNotice error={list.error} />
      {list.isPending ? (
        <p role="status">Loading tasks…</p>
      ) : tasks.length === 0 ? (
        <p className="empty">No task here.</p>
      ) : (
        <table className="table" data-testid="task-list">
          <thead>
            <tr>
              <th scope="col">Due</th>
              <th scope="col">Task</th>
              <th scope="col">Customer</th>
              <th scope="col">Owner</th>
              <th scope="col">From</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((t) => (
              <TaskRow
                key={t.id}
                task={t}
                now={now}
                completing={completing === t.id}
                onToggle={() => setCompleting(completing === t.id ? null : t.id)}
                onDone={() => setCompleting(null)}
              />
            ))}
          </tbody>
        </table>
      )}
      {list.hasNextPage ? (
        <button
          type="button"
          className="button"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </section>
  );
}

function TaskRow({
  task: t,
  now,
  completing,
  onToggle,
  onDone,
}: {
  task: CallTask;
  now: Date;
  completing: boolean;
  onToggle: () => void;
  onDone: () => void;
}) {
  return (
    <>
      <tr className={t.overdue ? 'row--breached' : undefined} data-testid={`task-${t.id}`}>
        <td>
          {formatDateTime(t.dueAt)}
          {t.status === 'open' ? (
            <div className={`cell-sub${t.overdue ? ' sla--breached' : ''}`}>{dueText(t.dueAt, now)}</div>
          ) : null}
        </td>
        <td>
          <strong>{t.title}</strong>
          {t.instructions ? <div className="cell-sub">{t.instructions}</div> : null}
        </td>
        <td className="mono">
          <Link to={`/customers/${encodeURIComponent(t.externalId)}`}>{t.externalId}</Link>
        </td>
        <td>{t.owner}</td>
        <td>
          {t.source === 'sequence' && t.sequenceId ? (
            <Link to={`/sequences/${t.sequenceId}`}>Sequence</Link>
          ) : t.source === 'signal' ? (
            <Link to="/signals">Signal</Link>
          ) : (
            '—'
          )}
        </td>
        <td>
          {t.status === 'open' ? (
            <button
              type="button"
              className="button button--small"
              aria-expanded={completing}
              onClick={onToggle}
            >
              Complete
            </button>
          ) : (
            <>
              {STATUS_TEXT[t.status]}
              {t.outcome ? (
                <div className="cell-sub">{OUTCOME_LABEL[t.outcome as TaskOutcome] ?? t.outcome}</div>
              ) : null}
              {t.notes ? <div className="cell-sub">{t.notes}</div> : null}
            </>
          )}
        </td>
      </tr>
      {completing ? (
        <tr>
          <td colSpan={6}>
            <CompleteForm task={t} onDone={onDone} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function CompleteForm({ task, onDone }: { task: CallTask; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<TaskOutcome | ''>('');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | undefined>();
  const complete = useMutation({
    mutationFn: () =>
      sequencesApi.completeTask(task.id, {
        outcome: outcome as TaskOutcome,
        ...(notes.trim() ? { notes: notes.trim() } : {}),
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      onDone();
    },
  });
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!outcome) {
      setError('required');
      return;
    }
    setError(undefined);
    complete.mutate();
  }
  const id = `task-${task.id}`;
  return (
    <form className="card confirm" onSubmit={onSubmit} aria-label={`Complete ${task.title}`} noValidate>
      <ErrorNotice error={complete.error} />
      <div className="field-row">
        <Field id={`${id}-outcome`} label="Outcome" error={error}>
          {(p) => (
            <select {...p} value={outcome} onChange={(e) => setOutcome(e.target.value as TaskOutcome)}>
              <option value="">Choose…</option>
              {TASK_OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {OUTCOME_LABEL[o]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={`${id}-notes`} label="Notes">
          {(p) => <input {...p} value={notes} onChange={(e) => setNotes(e.target.value)} />}
        </Field>
        <div className="field field--button">
          <button type="submit" className="button button--primary" disabled={complete.isPending}>
            {complete.isPending ? 'Saving…' : 'Save outcome'}
          </button>
        </div>
      </div>
    </form>
  );
}
