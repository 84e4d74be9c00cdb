import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './app';

describe('admin app on the same port', () => {
  let t: TestApp;
  const dist = mkdtempSync(join(tmpdir(), 'liftlab-admin-'));

  beforeAll(async () => {
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><title>Liftlab admin</title><div id="root"></div>',
    );
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log("admin")');
    t = await createTestApp({ serveAdmin: true, env: { ADMIN_DIST_DIR: dist } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html at / and the built assets', async () => {
    const home = await t.anonymous().get('/').set('Accept', 'text/html');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Liftlab admin');
    const asset = await t.anonymous().get('/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  it('falls back to index.html for client-side routes', async () => {
    const deep = await t.anonymous().get('/experiments/123/results').set('Accept', 'text/html');
    expect(deep.status).toBe(200);
    expect(deep.text).toContain('Liftlab admin');
  });

  it('never answers API, health, metrics or docs paths with the admin app', async () => {
    const api = await t.anonymous().get('/v1/does-not-exist').set('Accept', 'text/html');
    expect(api.status).toBe(404);
    expect(api.headers['content-type']).toMatch(/problem\+json/);
    expect((await t.anonymous().get('/v1/users').set('Accept', 'text/html')).status).toBe(401);
    expect((await t.anonymous().get('/health').set('Accept', 'text/html')).body.database).toBe('up');
    expect((await t.anonymous().get('/metrics').set('Accept', 'text/html')).text).toContain(
      'http_request_duration',
    );
    const missingAsset = await t
      .anonymous()
      .get('/assets/missing.js')
      .set('Accept', 'application/javascript');
    expect(missingAsset.status).toBe(404);
  });
});
