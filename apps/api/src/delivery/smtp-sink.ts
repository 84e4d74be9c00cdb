/**
 * A local SMTP server (nodemailer's smtp-server) that records what arrives, for tests and the bench. A rule can
 * answer a recipient or a message with an SMTP error code instead of accepting it.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface Arrival {
  messageId: string | null;
  to: string[];
  /** Milliseconds since the epoch at which the final "." was received (before the 250 reply). */
  at: number;
  headers: Record<string, string>;
  raw: string;
}

/** Return an SMTP reply code and text to refuse, or null to accept. */
export type SinkRule = (
  stage: 'rcpt' | 'data',
  address: string,
  attempt: number,
) => { code: number; message: string } | null;

export interface SmtpSink {
  url: string;
  arrivals: Arrival[];
  /** Number of times each recipient was seen at RCPT TO (accepted or not). */
  attempts: Map<string, number>;
  rule: SinkRule | null;
  /**
   * Called when a message has fully arrived, before the 250 reply; a returned promise delays the reply until it
   * settles (to put a sender into the RFC 1047 window on purpose).
   */
  holdReply: ((arrival: Arrival) => Promise<void> | null) | null;
  /** Keep raw message text (off for large runs). */
  keepRaw: boolean;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

function parseHeaders(raw: string): Record<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end === -1 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

export async function startSmtpSink(options: { keepRaw?: boolean } = {}): Promise<SmtpSink> {
  const sink: Omit<SmtpSink, 'url' | 'close'> = {
    arrivals: [],
    attempts: new Map(),
    rule: null,
    holdReply: null,
    keepRaw: options.keepRaw ?? true,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: 200,
    onRcptTo(address, _session, callback) {
      const attempt = (sink.attempts.get(address.address) ?? 0) + 1;
      sink.attempts.set(address.address, attempt);
      const refusal = sink.rule?.('rcpt', address.address, attempt);
      if (refusal) return callback(smtpError(refusal.code, refusal.message));
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const to = session.envelope.rcptTo.map((r) => r.address);
        const refusal = sink.rule?.('data', to[0] ?? '', sink.attempts.get(to[0] ?? '') ?? 0);
        if (refusal) return callback(smtpError(refusal.code, refusal.message));
        const headers = parseHeaders(raw);
        const arrival: Arrival = {
          messageId: headers['message-id'] ?? null,
          to,
          at: Date.now(),
          headers,
          raw: sink.keepRaw ? raw : '',
        };
        sink.arrivals.push(arrival);
        const hold = sink.holdReply?.(arrival);
        if (hold) void hold.finally(() => callback());
        else callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A client killed mid-session (the SIGKILL test does it on purpose) resets its connection; smtp-server reports
  // that as an 'error' event, which must not become an uncaught exception in the test process.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') console.error('smtp sink:', error);
  });
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(sink as SmtpSink, {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
