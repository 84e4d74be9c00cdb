import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing with scrypt (RFC 7914) and a random 16-byte salt per user. Stored as
 * `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>` so parameters can be raised later without breaking old hashes.
 * N = 2^15, r = 8, p = 1 follows the OWASP password storage recommendation for scrypt (32 MiB of memory).
 */
const KEY_LENGTH = 64;
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

function scryptAsync(
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function maxmem(N: number, r: number): number {
  return 128 * N * r * 2;
}

export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = params;
  const key = await scryptAsync(password.normalize('NFKC'), salt, KEY_LENGTH, {
    N,
    r,
    p,
    maxmem: maxmem(N, r),
  });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time comparison; false (never a throw) for a malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, nS, rS, pS, saltS, hashS] = parts as [string, string, string, string, string, string];
  const N = Number(nS);
  const r = Number(rS);
  const p = Number(pS);
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0)) return false;
  const expected = Buffer.from(hashS, 'base64url');
  if (expected.length === 0) return false;
  const actual = await scryptAsync(
    password.normalize('NFKC'),
    Buffer.from(saltS, 'base64url'),
    expected.length,
    {
      N,
      r,
      p,
      maxmem: maxmem(N, r),
    },
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export const SCRYPT_PARAMS = Symbol.for('liftlab.scrypt-params');

/** Injectable wrapper; tests provide cheaper SCRYPT_PARAMS to stay fast (the same code path runs). */
@Injectable()
export class PasswordHasher {
  private readonly params: ScryptParams;
  private dummy: Promise<string> | undefined;

  constructor(@Optional() @Inject(SCRYPT_PARAMS) params?: ScryptParams) {
    this.params = params ?? DEFAULT_SCRYPT_PARAMS;
  }

  hash(password: string): Promise<string> {
    return hashPassword(password, this.params);
  }

  verify(password: string, stored: string): Promise<boolean> {
    return verifyPassword(password, stored);
  }

  /** Spends the same time as a real check, for unknown emails, so timing does not reveal which accounts exist. */
  async verifyAgainstDummy(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(16).toString('hex'));
    await verifyPassword(password, await this.dummy);
    return false;
  }
}

/** Readable generated password (for the first admin and users created without one): 20 chars, ~119 bits. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(40);
  let out = '';
  for (const b of bytes) {
    // 224 = 4 * 56: rejection sampling keeps every character equally likely.
    if (b < 224) out += alphabet[b % alphabet.length];
    if (out.length === 20) break;
  }
  return out.length === 20 ? out : generatePassword();
}
