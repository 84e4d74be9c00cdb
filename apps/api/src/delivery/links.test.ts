import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config';
import { isRedirectableUrl, LinkSigner, linkSecretFrom, signLinkToken, verifyLinkToken } from './links';

const SECRET = 'link-secret-for-tests-0123456789abcdef';
const NOW = new Date('2025-03-01T12:00:00.000Z');
const IN_A_DAY = new Date(NOW.getTime() + 86_400_000);
const base = {
  workspaceId: '0190a0b0-0000-7000-8000-000000000001',
  customerId: '0190a0b0-0000-7000-8000-000000000002',
  messageId: '0190a0b0-0000-7000-8000-000000000003',
};

function flipChar(s: string, at: number): string {
  const c = s[at] === 'A' ? 'B' : 'A';
  return s.slice(0, at) + c + s.slice(at + 1);
}

describe('link tokens', () => {
  it('round-trips the claims of each kind', () => {
    const token = signLinkToken(SECRET, {
      kind: 'click',
      ...base,
      url: 'https://shop.example/p?a=1',
      expiresAt: IN_A_DAY,
    });
    expect(verifyLinkToken(SECRET, token, 'click', NOW)).toEqual({
      ok: true,
      claims: { kind: 'click', ...base, url: 'https://shop.example/p?a=1', expiresAt: IN_A_DAY },
    });
    const survey = signLinkToken(SECRET, {
      kind: 'survey',
      workspaceId: base.workspaceId,
      customerId: base.customerId,
      surveyId: 's-1',
      enrollmentId: 'e-1',
      expiresAt: IN_A_DAY,
    });
    const verified = verifyLinkToken(SECRET, survey, 'survey', NOW);
    expect(verified.ok && verified.claims).toMatchObject({ surveyId: 's-1', enrollmentId: 'e-1' });
  });

  it('refuses a token whose claims or signature were altered', () => {
    const token = signLinkToken(SECRET, { kind: 'unsubscribe', ...base, expiresAt: IN_A_DAY });
    const [body, sig] = token.split('.') as [string, string];
    // Another customer's id in the claims, signature kept: the classic tampering.
    const forged = Buffer.from(
      Buffer.from(body, 'base64url')
        .toString()
        .replace(base.customerId, '0190a0b0-0000-7000-8000-0000000000ff'),
    ).toString('base64url');
    expect(verifyLinkToken(SECRET, `${forged}.${sig}`, 'unsubscribe', NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyLinkToken(SECRET, `${body}.${flipChar(sig, 5)}`, 'unsubscribe', NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyLinkToken(SECRET, `${body}.${sig.slice(0, -2)}`, 'unsubscribe', NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyLinkToken('another-secret-0123456789abcdefghijkl', token, 'unsubscribe', NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses malformed tokens', () => {
    for (const bad of ['', 'abc', 'a.b.c', '.x', 'x.'])
      expect(verifyLinkToken(SECRET, bad, 'open', NOW)).toMatchObject({ ok: false });
    // Correctly signed but not JSON: still refused, without throwing.
    const body = Buffer.from('not json').toString('base64url');
    const sig = createHmac('sha256', SECRET).update(`liftlab-link.v1.${body}`).digest('base64url');
    expect(verifyLinkToken(SECRET, `${body}.${sig}`, 'open', NOW)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('refuses a token of another kind (an open token cannot unsubscribe)', () => {
    const token = signLinkToken(SECRET, { kind: 'open', ...base, expiresAt: IN_A_DAY });
    expect(verifyLinkToken(SECRET, token, 'unsubscribe', NOW)).toEqual({ ok: false, reason: 'wrong_kind' });
    expect(verifyLinkToken(SECRET, token, 'open', NOW).ok).toBe(true);
  });

  it('expires at expiresAt (valid one second before, refused at the instant)', () => {
    const token = signLinkToken(SECRET, { kind: 'open', ...base, expiresAt: IN_A_DAY });
    expect(verifyLinkToken(SECRET, token, 'open', new Date(IN_A_DAY.getTime() - 1000)).ok).toBe(true);
    expect(verifyLinkToken(SECRET, token, 'open', IN_A_DAY)).toEqual({ ok: false, reason: 'expired' });
  });

  it('only signs click links to absolute http(s) URLs', () => {
    for (const url of ['javascript:alert(1)', '//evil.example/x', '/relative', 'ftp://x.example/'])
      expect(() => signLinkToken(SECRET, { kind: 'click', ...base, url, expiresAt: IN_A_DAY })).toThrow();
    expect(isRedirectableUrl('http://localhost:8080/x')).toBe(true);
    expect(isRedirectableUrl('mailto:a@b.example')).toBe(false);
  });
});

describe('link secret', () => {
  it('uses LINK_SECRET when set, else a key derived from (and different from) the session secret', () => {
    expect(linkSecretFrom('explicit-link-secret-0123456789abcdef', () => 'unused')).toBe(
      'explicit-link-secret-0123456789abcdef',
    );
    const derived = linkSecretFrom(undefined, () => 'session-secret-0123456789abcdef-xyz');
    expect(derived).not.toContain('session-secret');
    expect(derived).toBe(linkSecretFrom(undefined, () => 'session-secret-0123456789abcdef-xyz'));
    expect(derived).not.toBe(linkSecretFrom(undefined, () => 'other-session-secret-0123456789abcd'));
  });

  it('LinkSigner builds absolute URLs under PUBLIC_URL whose token verifies with the same config only', () => {
    const config = loadConfig({
      PUBLIC_URL: 'https://lift.example/',
      SESSION_SECRET: 'session-secret-0123456789abcdef-xyz',
    });
    const signer = new LinkSigner(config);
    const url = signer.url({ kind: 'unsubscribe', ...base }, NOW);
    expect(url).toMatch(/^https:\/\/lift\.example\/v1\/unsubscribe\/[\w-]+\.[\w-]+$/);
    const token = url.split('/').at(-1) as string;
    const verified = signer.verify(token, 'unsubscribe', NOW);
    expect(verified.ok && verified.claims.expiresAt.toISOString()).toBe('2026-03-01T12:00:00.000Z');
    const other = new LinkSigner(loadConfig({ SESSION_SECRET: 'another-session-secret-0123456789abc' }));
    expect(other.verify(token, 'unsubscribe', NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    const withLinkSecret = new LinkSigner(
      loadConfig({ SESSION_SECRET: 'another-session-secret-0123456789abc', LINK_SECRET: SECRET }),
    );
    expect(verifyLinkToken(SECRET, withLinkSecret.sign({ kind: 'open', ...base }, NOW), 'open', NOW).ok).toBe(
      true,
    );
  });
});
