/** The PATCH body of the user edit form: only what changed, so an unchanged field is never rewritten. */
import type { UserRead, UserUpdate } from "./hooks";

export interface UserEdit {
  full_name: string;
  roles: string[];
  /** Empty keeps the password. */
  password: string;
  active: boolean;
}

export function userEditOf(user: UserRead): UserEdit {
  return { full_name: user.full_name, roles: [...user.roles], password: "", active: user.active };
}

export function userChanges(user: UserRead, edit: UserEdit): UserUpdate {
  const changes: UserUpdate = {};
  const fullName = edit.full_name.trim();
  if (fullName !== user.full_name) changes.full_name = fullName;
  const sameRoles = edit.roles.length === user.roles.length && edit.roles.every((r) => user.roles.includes(r));
  if (!sameRoles) changes.roles = edit.roles;
  if (edit.password) changes.password = edit.password;
  if (edit.active !== user.active) changes.active = edit.active;
  return changes;
}
