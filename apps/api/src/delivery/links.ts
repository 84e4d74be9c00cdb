import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppConfig, resolveSessionSecret } from '../config/config';

/**
 * Signed links in messages: unsubscribe, survey, open pixel and click redirect. The link itself is the
 * credential (its reader has no session), so a token carries who and what it is for, an expiry, and an
 * HMAC-SHA256 over all of it. Nothing is stored server-side: verifying needs only the secret.
 *
 * Token: `base64url(JSON claims) "." base64url(HMAC-SHA256(secret, "liftlab-link.v1." + claims part))`.
 */
export const LINK_KINDS = ['unsubscribe', 'survey', 'open', 'click'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/**
 * Default validity. Unsubscribe links must keep working long after the mail was sent (RFC 8058 asks senders to
 * honour them for a long time); tracking links only matter while the sequence is being measured.
 */
export const LINK_TTL_DAYS: Record<LinkKind, number> = {
  unsubscribe: 365,
  survey: 60,
  open: 120,
  click: 120,
};

/** Where each kind of link is served, relative to PUBLIC_URL. */
export const LINK_PATHS: Record<LinkKind, string> = {
  unsubscribe: '/v1/unsubscribe/',
  survey: '/v1/surveys/respond/',
  open: '/v1/t/o/',
  click: '/v1/t/c/',
};

export interface LinkClaims {
  kind: LinkKind;
  workspaceId: string;
  customerId: string;
  /** The message the link was sent in (open/click tracking; the unsubscribe's origin). */
  messageId?: string;
  /** Click links: the only place the redirect may go. */
  url?: string;
  /** Survey links. */
  surveyId?: string;
  enrollmentId?: string;
  expiresAt: Date;
}

export type LinkVerification =
  | { ok: true; claims: LinkClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'wrong_kind' | 'expired' };

const KIND_CODE: Record<LinkKind, string> = { unsubscribe: 'u', survey: 's', open: 'o', click: 'c' };
const CODE_KIND = new Map(Object.entries(KIND_CODE).map(([k, c]) => [c, k as LinkKind]));
const DOMAIN = 'liftlab-link.v1.';

interface WireClaims {
  k: string;
  w: string;
  c: string;
  m?: string;
  u?: string;
  s?: string;
  e?: string;
  /** Expiry, seconds since the epoch. */
  x: number;
}

/** Only absolute http(s) URLs may be redirect targets (no `javascript:`, no protocol-relative tricks). */
export function isRedirectableUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.hostname.length > 0;
  } catch {
    return false;
  }
}

export function signLinkToken(secret: string, claims: LinkClaims): string {
  if (claims.kind === 'click' && (claims.url === undefined || !isRedirectableUrl(claims.url)))
    throw new Error('click links need an absolute http(s) url');
  const wire: WireClaims = {
    k: KIND_CODE[claims.kind],
    w: claims.workspaceId,
    c: claims.customerId,
    ...(claims.messageId !== undefined ? { m: claims.messageId } : {}),
    ...(claims.url !== undefined ? { u: claims.url } : {}),
    ...(claims.surveyId !== undefined ? { s: claims.surveyId } : {}),
    ...(claims.enrollmentId !== undefined ? { e: claims.enrollmentId } : {}),
    x: Math.floor(claims.expiresAt.getTime() / 1000),
  };
  const body = Buffer.from(JSON.stringify(wire)).toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

/** Checks signature first (so nothing unsigned is even parsed), then kind and expiry at `now`. */
export function verifyLinkToken(secret: string, token: string, kind: LinkKind, now: Date): LinkVerification {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1] || token.length > 4096)
    return { ok: false, reason: 'malformed' };
  const [body, signature] = parts as [string, string];
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  let wire: WireClaims;
  try {
    wire = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as WireClaims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof wire.w !== 'string' || typeof wire.c !== 'string' || typeof wire.x !== 'number')
    return { ok: false, reason: 'malformed' };
  if (CODE_KIND.get(wire.k) !== kind) return { ok: false, reason: 'wrong_kind' };
  if (wire.x * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  if (kind === 'click' && (typeof wire.u !== 'string' || !isRedirectableUrl(wire.u)))
    return { ok: false, reason: 'malformed' };
  return {
    ok: true,
    claims: {
      kind,
      workspaceId: wire.w,
      customerId: wire.c,
      ...(wire.m !== undefined ? { messageId: wire.m } : {}),
      ...(wire.u !== undefined ? { url: wire.u } : {}),
      ...(wire.s !== undefined ? { surveyId: wire.s } : {}),
      ...(wire.e !== undefined ? { enrollmentId: wire.e } : {}),
      expiresAt: new Date(wire.x * 1000),
    },
  };
}

/**
 * LINK_SECRET, else a key derived from the session secret. Derived (not reused) so that a leaked link key can
 * never forge session ids, and rotating LINK_SECRET later does not sign anyone out.
 */
export function linkSecretFrom(linkSecret: string | undefined, sessionSecret: () => string): string {
  if (linkSecret) return linkSecret;
  return createHmac('sha256', sessionSecret()).update('liftlab/link-secret/v1').digest('base64url');
}

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret)
    .update(DOMAIN + body)
    .digest();
}

/** Signs and verifies links with the configured secret and builds their absolute URLs. Stateless. */
@Injectable()
export class LinkSigner {
  private readonly secret: string;
  private readonly baseUrl: string;

  constructor(config: AppConfig) {
    this.secret = linkSecretFrom(config.LINK_SECRET, () => resolveSessionSecret(config));
    this.baseUrl = (config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/+$/, '');
  }

  /** A token valid for LINK_TTL_DAYS[kind] (or `ttlDays`) from `now`. */
  sign(claims: Omit<LinkClaims, 'expiresAt'>, now: Date, ttlDays = LINK_TTL_DAYS[claims.kind]): string {
    return signLinkToken(this.secret, {
      ...claims,
      expiresAt: new Date(now.getTime() + ttlDays * 86_400_000),
    });
  }

  verify(token: string, kind: LinkKind, now: Date): LinkVerification {
    return verifyLinkToken(this.secret, token, kind, now);
  }

  /** Absolute URL of a signed link: `https://liftlab.example/v1/unsubscribe/<token>`. */
  url(claims: Omit<LinkClaims, 'expiresAt'>, now: Date, ttlDays?: number): string {
    return `${this.baseUrl}${LINK_PATHS[claims.kind]}${this.sign(claims, now, ttlDays)}`;
  }
}
