import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { AppConfig, dataDir } from '../config/config';

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface SentMail {
  transport: 'smtp' | 'outbox';
  messageId: string | null;
  outboxFile: string | null;
}

/**
 * Sends mail through SMTP_URL with nodemailer. Without SMTP_URL (development) the same message is built and
 * written as an .eml file under DATA_DIR/outbox/, and its path logged, so nothing is silently dropped.
 */
@Injectable()
export class Mailer {
  private readonly logger = new Logger('Mail');

  constructor(private readonly config: AppConfig) {}

  async send(mail: OutgoingMail, now: Date): Promise<SentMail> {
    const message = {
      from: this.config.DIGEST_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      date: now,
    };
    if (this.config.SMTP_URL) {
      const transport = nodemailer.createTransport(this.config.SMTP_URL);
      try {
        const info = await transport.sendMail(message);
        return { transport: 'smtp', messageId: info.messageId ?? null, outboxFile: null };
      } finally {
        transport.close();
      }
    }
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const info = await transport.sendMail(message);
    const dir = join(dataDir(this.config), 'outbox');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${now.toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
    await writeFile(file, info.message as Buffer);
    this.logger.log(`SMTP_URL is not set: "${mail.subject}" for ${mail.to.join(', ')} written to ${file}`);
    return { transport: 'outbox', messageId: info.messageId ?? null, outboxFile: file };
  }
}
