import { z } from 'zod';
import { DateTimeSchema, IdSchema, NameSchema, paginated } from './common';

export const RoleSchema = z.enum(['admin', 'marketer', 'lifecycle', 'executive']);
export type Role = z.infer<typeof RoleSchema>;

export const ApiKeyScopeSchema = z.enum(['ingest', 'read']);
export type ApiKeyScope = z.infer<typeof ApiKeyScopeSchema>;

const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('format_email'))
  .pipe(z.string().max(254, 'max_254'));
/** Long enough to resist guessing; no composition rules (NIST SP 800-63B §5.1.1.2). */
const NewPasswordSchema = z.string().min(12, 'min_12').max(200, 'max_200');

// ---------------------------------------------------------------------------------------------------------------
// Sign-in

export const LoginRequestSchema = z
  .object({
    email: z.string().trim().toLowerCase().min(1, 'required').max(254, 'max_254'),
    password: z.string().min(1, 'required').max(200, 'max_200'),
  })
  .strict();
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const UserSchema = z.object({
  id: IdSchema,
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  workspaceId: IdSchema,
  createdAt: DateTimeSchema,
  disabledAt: DateTimeSchema.nullable(),
});
export type User = z.infer<typeof UserSchema>;

export const LoginResponseSchema = z.object({ user: UserSchema });
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** GET /v1/auth/me: the signed-in user, or the API key calling. */
export const MeResponseSchema = z.object({
  actor: z.discriminatedUnion('type', [
    z.object({ type: z.literal('user'), user: UserSchema }),
    z.object({ type: z.literal('api_key'), id: IdSchema, scope: ApiKeyScopeSchema, workspaceId: IdSchema }),
  ]),
});
export type MeResponse = z.infer<typeof MeResponseSchema>;

export const ChangePasswordRequestSchema = z
  .object({ currentPassword: z.string().min(1, 'required'), newPassword: NewPasswordSchema })
  .strict();
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequestSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Users (admin)

export const CreateUserRequestSchema = z
  .object({
    email: EmailSchema,
    name: NameSchema,
    role: RoleSchema,
    /** Omitted → a password is generated and returned once as `initialPassword`. */
    password: NewPasswordSchema.optional(),
  })
  .strict();
export type CreateUserRequest = z.infer<typeof CreateUserRequestSchema>;

export const CreateUserResponseSchema = z.object({
  user: UserSchema,
  initialPassword: z.string().optional(),
});
export type CreateUserResponse = z.infer<typeof CreateUserResponseSchema>;

export const UpdateUserRequestSchema = z
  .object({
    name: NameSchema.optional(),
    role: RoleSchema.optional(),
    /** true disables sign-in and ends the user's sessions; false enables again. */
    disabled: z.boolean().optional(),
    password: NewPasswordSchema.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'at_least_one_field');
export type UpdateUserRequest = z.infer<typeof UpdateUserRequestSchema>;

export const UserListSchema = z.object({ items: z.array(UserSchema) });
export type UserList = z.infer<typeof UserListSchema>;

// ---------------------------------------------------------------------------------------------------------------
// API keys (admin)

export const ApiKeySchema = z.object({
  id: IdSchema,
  name: z.string(),
  /** First characters of the key, to recognise it; the full key is shown only once, at creation. */
  prefix: z.string(),
  scope: ApiKeyScopeSchema,
  createdAt: DateTimeSchema,
  revokedAt: DateTimeSchema.nullable(),
  lastUsedAt: DateTimeSchema.nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const CreateApiKeyRequestSchema = z.object({ name: NameSchema, scope: ApiKeyScopeSchema }).strict();
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequestSchema>;

export const CreateApiKeyResponseSchema = z.object({
  apiKey: ApiKeySchema,
  /** The full key. It is not stored and cannot be shown again. */
  key: z.string(),
});
export type CreateApiKeyResponse = z.infer<typeof CreateApiKeyResponseSchema>;

export const ApiKeyListSchema = z.object({ items: z.array(ApiKeySchema) });
export type ApiKeyList = z.infer<typeof ApiKeyListSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Audit log

export const AuditActorTypeSchema = z.enum(['user', 'api_key', 'system']);

export const AuditEntrySchema = z.object({
  id: IdSchema,
  actorType: AuditActorTypeSchema,
  actorId: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  at: DateTimeSchema,
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditLogQuerySchema = z
  .object({
    entityType: z.string().min(1, 'required').max(100, 'max_100').optional(),
    entityId: z.string().min(1, 'required').max(191, 'max_191').optional(),
    limit: z.coerce.number().int('integer').min(1, 'min_1').max(500, 'max_500').default(50),
    cursor: z.string().min(1, 'required').optional(),
  })
  .strict();
export type AuditLogQuery = z.infer<typeof AuditLogQuerySchema>;

export const AuditLogPageSchema = paginated(AuditEntrySchema);
export type AuditLogPage = z.infer<typeof AuditLogPageSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Operations

export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['up', 'down']),
  migrations: z.enum(['current', 'pending', 'unknown']),
});
export type Health = z.infer<typeof HealthSchema>;
