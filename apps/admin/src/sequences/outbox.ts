import type { MessageChannel, MessageStatus, TaskOutcome } from '@liftlab/contracts';
import type { OutboxFilters } from './api';

/**
 * Viewing a stored e-mail must not act on it: the HTML runs in a sandboxed frame without scripts, and a
 * Content-Security-Policy keeps it from loading anything remote. That matters beyond safety: the open-tracking
 * pixel and the click redirects are remote URLs, and a colleague reading the outbox must not count as an open
 * or a click in the sequence's funnel. Links open nowhere (new windows are not allowed in the sandbox).
 */
export const EMAIL_FRAME_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/** The `srcdoc` of the e-mail frame. */
export function sandboxedEmailDocument(html: string): string {
  const head = `<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${EMAIL_FRAME_CSP}"><base target="_blank">`;
  return `<!doctype html><html><head>${head}</head><body>${html}</body></html>`;
}

/** The iframe `sandbox` attribute: an empty token list, i.e. every restriction (no scripts, forms, popups). */
export const EMAIL_FRAME_SANDBOX = '';

export const STATUS_LABEL: Record<MessageStatus, string> = {
  pending: 'Waiting',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  suppressed: 'Suppressed',
};

export const CHANNEL_NAME: Record<MessageChannel, string> = {
  email: 'E-mail',
  in_app: 'In-app',
  webhook: 'Webhook',
  call_task: 'Call task',
};

export const OUTCOME_LABEL: Record<TaskOutcome, string> = {
  reached: 'Reached',
  won_back: 'Won back',
  not_interested: 'Not interested',
  voicemail: 'Left a voicemail',
  no_answer: 'No answer',
  wrong_number: 'Wrong number',
};

/** Outbox filters from the page's query string (unknown values are ignored, not sent). */
export function outboxFiltersFrom(params: URLSearchParams): OutboxFilters {
  const filters: OutboxFilters = {};
  const channel = params.get('channel');
  if (channel && channel in CHANNEL_NAME) filters.channel = channel as MessageChannel;
  const status = params.get('status');
  if (status && status in STATUS_LABEL) filters.status = status as MessageStatus;
  const sequenceId = params.get('sequence');
  if (sequenceId) filters.sequenceId = sequenceId;
  const customer = params.get('customer')?.trim();
  if (customer) filters.customer = customer;
  if (params.get('outbox') === 'true') filters.outbox = true;
  return filters;
}

/**
 * Words for when a deferred or retried message will next be tried, relative to now ("in 3 h", "in 12 min");
 * null when it is due already.
 */
export function nextAttemptText(nextAttemptAt: string, now: Date): string | null {
  const ms = new Date(nextAttemptAt).getTime() - now.getTime();
  if (!Number.isFinite(ms) || ms <= 0) return null;
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours} h`;
  return `in ${Math.round(hours / 24)} days`;
}

/**
 * Time left before a due date, or how late it is: "due in 5 h", "3 h overdue", "2 days overdue".
 * SLA and task deadlines are read in hours; days from two days on.
 */
export function dueText(dueAt: string, now: Date): string {
  const ms = new Date(dueAt).getTime() - now.getTime();
  const abs = Math.abs(ms);
  const hours = abs / 3_600_000;
  const amount =
    hours < 1
      ? `${Math.max(1, Math.round(abs / 60_000))} min`
      : hours < 48
        ? `${Math.round(hours)} h`
        : `${Math.round(hours / 24)} days`;
  return ms >= 0 ? `due in ${amount}` : `${amount} overdue`;
}
