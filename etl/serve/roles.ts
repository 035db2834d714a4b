// Roles and what each may do (pure). Each role holds every permission of the
// one before it:
//
//   executive  the aggregate extracts: every mart with a customers column,
//              whose cells are small-cell suppressed (mart-catalog.ts)
//   marketing  + the per-customer extract (customer list, audiences) and the
//              target-list export
//   analyst    + the workbench
//   admin      + administration (users)
//
// A user may also be restricted to regions (users file): the server then
// serves region-filtered copies of the extracts (region-extracts.ts). Role and
// regions are looked up in the users file on every request, so a change there
// applies at once, without signing anybody out.

export const ROLES = ['executive', 'marketing', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = ['extracts.aggregate', 'extracts.customer', 'export.target_list', 'workbench', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  executive: ['extracts.aggregate'],
  marketing: ['extracts.aggregate', 'extracts.customer', 'export.target_list'],
  analyst: ['extracts.aggregate', 'extracts.customer', 'export.target_list', 'workbench'],
  admin: PERMISSIONS,
};

/** Who sent a request: a user of the users file (or named by the trusted proxy). */
export interface Principal {
  user: string;
  role: Role;
  /** Regions the user may see; null = every region. Never empty. */
  regions: readonly string[] | null;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return [...GRANTS[role]];
}

/**
 * Whether `role` may read an extract, given the mart's customers column as
 * the manifest records it (suppression.marts[name].customers_column): a mart
 * without one holds a row per customer. A mart the manifest does not describe
 * (undefined) counts as per-customer: unknown data is not aggregate data.
 */
export function mayReadExtract(role: Role, customersColumn: string | null | undefined): boolean {
  const aggregate = typeof customersColumn === 'string' && customersColumn.length > 0;
  return can(role, aggregate ? 'extracts.aggregate' : 'extracts.customer');
}
