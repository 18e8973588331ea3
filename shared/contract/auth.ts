/** Schemas of the auth, users and audit routes (TypeBox → validation and OpenAPI). */
import { Type, type Static } from 'typebox';
import { ROLES } from '../roles.ts';

/** Longest password accepted anywhere (login answers 400 above it): bounds the hashing work. */
export const MAX_PASSWORD_LENGTH = 1024;
/** ASCII letters, digits and . _ @ - ; 2–100 characters, starting with a letter or digit. */
export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._@-]{1,99}$';

export const RoleSchema = Type.Enum(ROLES, { description: 'admin | land_officer | industry_officer | district_officer | investor' });
export type RoleSchema = Static<typeof RoleSchema>;
/** Free text bound for a query parameter: no control characters (PostgreSQL refuses NUL). */
const NO_CONTROL = '^[^\\x00-\\x1f\\x7f]+$';
const SafeText = (maxLength: number, description?: string) => Type.String({ minLength: 1, maxLength, pattern: NO_CONTROL, ...(description ? { description } : {}) });
const DistrictCode = Type.String({ pattern: '^[0-9]{6}$', description: '6-digit district code, e.g. "440112"' });
const NewPassword = Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH, description: 'At least 10 characters' });

export const LoginBody = Type.Object(
  {
    // Only lengths here: any other odd username is simply not an account (401), not a 400.
    username: SafeText(100),
    password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const Me = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  districtCode: Type.Union([Type.String(), Type.Null()], { description: 'Set for district officers only' }),
  mustChangePassword: Type.Boolean({ description: 'true: the user must change their password (POST /api/auth/password) before anything else' }),
});
export type Me = Static<typeof Me>;
export const MeResponse = Type.Object({ user: Me });
export type MeResponse = Static<typeof MeResponse>;

export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }), newPassword: NewPassword },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

/** An account as administrators see it: the signed-in user's fields and its state. */
export const User = Type.Object({
  ...Me.properties,
  disabled: Type.Boolean(),
  disabledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type User = Static<typeof User>;

export const UserList = Type.Object({ items: Type.Array(User), total: Type.Integer() });
export type UserList = Static<typeof UserList>;

export const UsersQuery = Type.Object({
  role: Type.Optional(RoleSchema),
  q: Type.Optional(SafeText(100, 'Part of the username or display name')),
  includeDisabled: Type.Optional(Type.Boolean({ default: false })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
export type UsersQuery = Static<typeof UsersQuery>;

export const CreateUserBody = Type.Object(
  {
    username: Type.String({ pattern: USERNAME_PATTERN, description: '2–100 characters: ASCII letters, digits, . _ @ -; unique ignoring case' }),
    displayName: SafeText(100),
    role: RoleSchema,
    districtCode: Type.Optional(Type.Union([DistrictCode, Type.Null()], { description: 'Required for a district officer, empty otherwise' })),
    password: NewPassword,
    mustChangePassword: Type.Optional(Type.Boolean({ default: true, description: 'Ask for a new password at the first sign-in (default true)' })),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    displayName: Type.Optional(SafeText(100)),
    role: Type.Optional(RoleSchema),
    districtCode: Type.Optional(Type.Union([DistrictCode, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const ResetPasswordBody = Type.Object(
  {
    password: NewPassword,
    mustChangePassword: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export type ResetPasswordBody = Static<typeof ResetPasswordBody>;

/** `POST /api/users/:id/revoke-sessions`: how many sessions ended. */
export const RevokedSessions = Type.Object({ revokedSessions: Type.Integer() });
export type RevokedSessions = Static<typeof RevokedSessions>;

export const AuditEventSchema = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorUserId: Type.Union([Type.Integer(), Type.Null()]),
  actorUsername: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  entity: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown({ description: 'The entity before the change (null for a creation)' }),
  after: Type.Unknown({ description: 'The entity after the change (null for a removal)' }),
  requestId: Type.Union([Type.String(), Type.Null()]),
  prevHash: Type.String(),
  hash: Type.String(),
});
export type AuditEventSchema = Static<typeof AuditEventSchema>;

export const AuditQuery = Type.Object({
  entity: Type.Optional(SafeText(100, 'e.g. user, plot, allocation')),
  entityId: Type.Optional(SafeText(100)),
  actor: Type.Optional(SafeText(100, 'Actor username (case-insensitive)')),
  action: Type.Optional(SafeText(100, 'e.g. user.disable, auth.login_failed')),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Events at or after this time (ISO 8601)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Events before this time (ISO 8601)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditList = Type.Object({ items: Type.Array(AuditEventSchema), total: Type.Integer() });
export type AuditList = Static<typeof AuditList>;

export const VerifyResultSchema = Type.Union([
  Type.Object({ ok: Type.Literal(true), count: Type.Integer(), lastId: Type.Union([Type.Integer(), Type.Null()]), lastHash: Type.String() }),
  Type.Object({ ok: Type.Literal(false), brokenAtId: Type.Union([Type.Integer(), Type.Null()]), reason: Type.String(), checked: Type.Integer() }),
]);
export type VerifyResultSchema = Static<typeof VerifyResultSchema>;
