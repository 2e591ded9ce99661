/**
 * The one place a list row (case list, card register) gets its names: the
 * directory's name for its center and department when the id is registered,
 * nothing when not (the id alone says it is unregistered). The lookup is the
 * directory's, adapted where the read models are assembled.
 */
import type { DirectoryIndex } from '../domain/directory.js';

export interface NameLookup {
  centerName(centerId: string): string | undefined;
  departmentName(departmentId: string): string | undefined;
}

export const NO_NAMES: NameLookup = { centerName: () => undefined, departmentName: () => undefined };

/** The names of one directory (the one in force, or the one recorded by K for a read as known at K). */
export const namesOf = (directory: Pick<DirectoryIndex, 'center' | 'department'>): NameLookup => ({
  centerName: (id) => directory.center(id)?.name,
  departmentName: (id) => directory.department(id)?.name,
});

export interface Named {
  readonly centerName?: string;
  readonly departmentName?: string;
}

export function withNames<T extends { readonly centerId: string; readonly departmentId: string }>(
  row: T,
  names: NameLookup,
): T & Named {
  const centerName = names.centerName(row.centerId);
  const departmentName = names.departmentName(row.departmentId);
  return {
    ...row,
    ...(centerName === undefined ? {} : { centerName }),
    ...(departmentName === undefined ? {} : { departmentName }),
  };
}
