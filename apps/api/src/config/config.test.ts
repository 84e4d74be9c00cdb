import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../database/paths';
import { ConfigError, configSchema, loadConfig } from './config';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'generated' ? [] : sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('config', () => {
  it('applies defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: '.data',
      LOG_LEVEL: 'info',
      SESSION_TTL_HOURS: 12,
      LOGIN_MAX_FAILURES: 5,
      LOGIN_WINDOW_SECONDS: 60,
      TRUST_PROXY: false,
      RESULTS_REFRESH_CRON: '*/15 * * * *',
    });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('parses and coerces valid values; empty strings count as unset', () => {
    const c = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://u:p@db:5432/liftlab',
      TRUST_PROXY: 'true',
      SMTP_URL: '',
      PUBLIC_URL: 'https://lift.example.com',
    });
    expect(c.PORT).toBe(8080);
    expect(c.TRUST_PROXY).toBe(true);
    expect(c.SMTP_URL).toBeUndefined();
    expect(c.DATABASE_URL).toBe('postgresql://u:p@db:5432/liftlab');
  });

  it('names every bad key in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'mysql://x',
        RESULTS_REFRESH_CRON: 'hourly',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).problems.map((p) => p.key).sort();
    expect(keys).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'RESULTS_REFRESH_CRON']);
    expect((error as Error).message).toMatch(/^Invalid configuration: .*PORT/);
    expect((error as Error).message).toContain('DATABASE_URL (expected a postgres:// or postgresql:// URL)');
  });

  it('never echoes a secret value in the error', () => {
    try {
      loadConfig({ SESSION_SECRET: 'short-but-secret', FIRST_ADMIN_PASSWORD: 'tiny-secret' });
      expect.unreachable();
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toContain('SESSION_SECRET (expected at least 32 characters)');
      expect(message).toContain('FIRST_ADMIN_PASSWORD');
      expect(message).not.toContain('short-but-secret');
      expect(message).not.toContain('tiny-secret');
    }
  });

  it('rejects out-of-range numbers and bad URLs', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://x' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ FIRST_ADMIN_EMAIL: 'not-an-email' })).toThrow(/FIRST_ADMIN_EMAIL/);
    expect(() => loadConfig({ TRUST_PROXY: 'maybe' })).toThrow(/TRUST_PROXY/);
  });

  it('.env.example documents exactly the keys of the schema', () => {
    const example = readFileSync(join(repoRoot(), '.env.example'), 'utf8');
    const documented = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('is the only server file that reads process.env', () => {
    const readers = sourceFiles(join(__dirname, '..'))
      .filter((f) => /process\.env\b/.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(f.indexOf('src')));
    expect(readers).toEqual([join('src', 'config', 'config.ts')]);
  });
});
