import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditService } from '../audit/audit.service';
import { CLOCK, Clock } from '../common/clock';
import { AppConfig, dataDir } from '../config/config';
import { AuthRepository } from './auth.repository';
import { generatePassword, PasswordHasher } from './password';
import { toUserView } from './views';

export const DEFAULT_ADMIN_EMAIL = 'admin@liftlab.local';
export const FIRST_RUN_LOGIN_FILE = 'first-run-login.txt';

/**
 * On a database without users, creates the first admin so the product can be signed into: FIRST_ADMIN_EMAIL /
 * FIRST_ADMIN_PASSWORD when configured, else admin@liftlab.local with a generated password that is printed once
 * in the start-up log and written to DATA_DIR/first-run-login.txt (readable by the owner only).
 */
@Injectable()
export class FirstRunService implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstRun');

  constructor(
    private readonly repo: AuthRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureFirstAdmin();
  }

  /** Returns the generated password when one was made (undefined when users exist or a password was configured). */
  async ensureFirstAdmin(): Promise<{ email: string; password?: string } | undefined> {
    if ((await this.repo.countUsers()) > 0) return undefined;
    const email = (this.config.FIRST_ADMIN_EMAIL ?? DEFAULT_ADMIN_EMAIL).toLowerCase();
    const generated = this.config.FIRST_ADMIN_PASSWORD ? undefined : generatePassword();
    const workspaceId = await this.repo.firstWorkspaceId();
    let user;
    try {
      user = await this.repo.createUser({
        workspaceId,
        email,
        name: 'Administrator',
        role: 'admin',
        passwordHash: await this.hasher.hash(this.config.FIRST_ADMIN_PASSWORD ?? generated ?? ''),
        createdAt: this.clock.now(),
      });
    } catch (err) {
      // Another instance starting at the same moment created it first.
      if ((err as { code?: unknown }).code === 'P2002') return undefined;
      throw err;
    }
    await this.audit.record(
      { type: 'system', id: 'first-run', workspaceId },
      'user.create',
      { type: 'user', id: user.id },
      undefined,
      toUserView(user),
    );
    if (!generated) {
      this.logger.log(`First-run admin ${email} created with the configured FIRST_ADMIN_PASSWORD`);
      return { email };
    }
    const file = join(dataDir(this.config), FIRST_RUN_LOGIN_FILE);
    try {
      mkdirSync(dataDir(this.config), { recursive: true });
      writeFileSync(file, `email: ${email}\npassword: ${generated}\n`, { mode: 0o600 });
    } catch (err) {
      this.logger.warn({ err }, `could not write ${file}`);
    }
    // Printed once on purpose: without it nobody could sign in. Change it after signing in.
    this.logger.log(`First-run login: ${email} / ${generated} (also in ${file}; change it after signing in)`);
    return { email, password: generated };
  }
}
