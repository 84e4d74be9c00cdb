import { Inject, Injectable } from '@nestjs/common';
import type {
  CreateUserRequest,
  CreateUserResponse,
  UpdateUserRequest,
  User as UserView,
} from '@liftlab/contracts';
import { AuditService } from '../audit/audit.service';
import { CLOCK, Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import type { Actor } from './actor';
import { AuthRepository } from './auth.repository';
import { generatePassword, PasswordHasher } from './password';
import { toUserView } from './views';

@Injectable()
export class UsersService {
  constructor(
    private readonly repo: AuthRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor): Promise<UserView[]> {
    return (await this.repo.listUsers(actor.workspaceId)).map(toUserView);
  }

  async create(actor: Actor, input: CreateUserRequest): Promise<CreateUserResponse> {
    if (await this.repo.findUserByEmail(input.email))
      throw DomainError.conflict('A user with this email already exists.', [
        { path: 'email', rule: 'unique' },
      ]);
    const initialPassword = input.password ? undefined : generatePassword();
    const user = await this.repo.createUser({
      workspaceId: actor.workspaceId,
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash: await this.hasher.hash(input.password ?? initialPassword ?? ''),
      createdAt: this.clock.now(),
    });
    const view = toUserView(user);
    await this.audit.record(actor, 'user.create', { type: 'user', id: user.id }, undefined, view);
    return initialPassword ? { user: view, initialPassword } : { user: view };
  }

  async update(actor: Actor, id: string, input: UpdateUserRequest): Promise<UserView> {
    const user = await this.repo.findUser(actor.workspaceId, id);
    if (!user) throw DomainError.notFound('User', id);

    const losesAdmin =
      user.role === 'admin' &&
      !user.disabledAt &&
      ((input.role !== undefined && input.role !== 'admin') || input.disabled === true);
    if (losesAdmin && (await this.repo.countActiveAdmins(actor.workspaceId)) <= 1)
      throw DomainError.conflict('The last active admin cannot be demoted or disabled.', [
        { path: input.disabled === true ? 'disabled' : 'role', rule: 'last_admin' },
      ]);

    const updated = await this.repo.updateUser(user.id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(input.disabled !== undefined
        ? { disabledAt: input.disabled ? (user.disabledAt ?? this.clock.now()) : null }
        : {}),
      ...(input.password !== undefined ? { passwordHash: await this.hasher.hash(input.password) } : {}),
    });
    // A disabled user, or one whose password was reset by an admin, must sign in again; a role change applies
    // immediately anyway because the role is read on every request.
    if (input.disabled === true || input.password !== undefined) await this.repo.deleteUserSessions(user.id);

    const before = toUserView(user);
    const after = toUserView(updated);
    const action =
      input.password !== undefined && Object.keys(input).length === 1 ? 'user.password_reset' : 'user.update';
    await this.audit.record(actor, action, { type: 'user', id: user.id }, before, after);
    return after;
  }
}
