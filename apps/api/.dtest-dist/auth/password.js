"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.PasswordHasher = exports.SCRYPT_PARAMS = exports.DEFAULT_SCRYPT_PARAMS = void 0;
exports.hashPassword = hashPassword;
exports.verifyPassword = verifyPassword;
exports.generatePassword = generatePassword;
const common_1 = require("@nestjs/common");
const node_crypto_1 = require("node:crypto");
/**
 * Password hashing with scrypt (RFC 7914) and a random 16-byte salt per user. Stored as
 * `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>` so parameters can be raised later without breaking old hashes.
 * N = 2^15, r = 8, p = 1 follows the OWASP password storage recommendation for scrypt (32 MiB of memory).
 */
const KEY_LENGTH = 64;
exports.DEFAULT_SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 };
function scryptAsync(password, salt, keylen, options) {
    return new Promise((resolve, reject) => {
        (0, node_crypto_1.scrypt)(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
    });
}
function maxmem(N, r) {
    return 128 * N * r * 2;
}
async function hashPassword(password, params = exports.DEFAULT_SCRYPT_PARAMS) {
    const salt = (0, node_crypto_1.randomBytes)(16);
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
async function verifyPassword(password, stored) {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt')
        return false;
    const [, nS, rS, pS, saltS, hashS] = parts;
    const N = Number(nS);
    const r = Number(rS);
    const p = Number(pS);
    if (![N, r, p].every((x) => Number.isInteger(x) && x > 0))
        return false;
    const expected = Buffer.from(hashS, 'base64url');
    if (expected.length === 0)
        return false;
    const actual = await scryptAsync(password.normalize('NFKC'), Buffer.from(saltS, 'base64url'), expected.length, {
        N,
        r,
        p,
        maxmem: maxmem(N, r),
    });
    return actual.length === expected.length && (0, node_crypto_1.timingSafeEqual)(actual, expected);
}
exports.SCRYPT_PARAMS = Symbol.for('liftlab.scrypt-params');
/** Injectable wrapper; tests provide cheaper SCRYPT_PARAMS to stay fast (the same code path runs). */
let PasswordHasher = class PasswordHasher {
    params;
    dummy;
    constructor(params) {
        this.params = params ?? exports.DEFAULT_SCRYPT_PARAMS;
    }
    hash(password) {
        return hashPassword(password, this.params);
    }
    verify(password, stored) {
        return verifyPassword(password, stored);
    }
    /** Spends the same time as a real check, for unknown emails, so timing does not reveal which accounts exist. */
    async verifyAgainstDummy(password) {
        this.dummy ??= this.hash((0, node_crypto_1.randomBytes)(16).toString('hex'));
        await verifyPassword(password, await this.dummy);
        return false;
    }
};
exports.PasswordHasher = PasswordHasher;
exports.PasswordHasher = PasswordHasher = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Optional)()),
    __param(0, (0, common_1.Inject)(exports.SCRYPT_PARAMS)),
    __metadata("design:paramtypes", [Object])
], PasswordHasher);
/** Readable generated password (for the first admin and users created without one): 20 chars, ~119 bits. */
function generatePassword() {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
    const bytes = (0, node_crypto_1.randomBytes)(40);
    let out = '';
    for (const b of bytes) {
        // 224 = 4 * 56: rejection sampling keeps every character equally likely.
        if (b < 224)
            out += alphabet[b % alphabet.length];
        if (out.length === 20)
            break;
    }
    return out.length === 20 ? out : generatePassword();
}
//# sourceMappingURL=password.js.map