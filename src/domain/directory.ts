/**
 * The directory of SPEC §4: the organisation's service centers (with level,
 * parent and region) and departments. Pure: validation of a whole directory and
 * an index for lookups; where it is kept (events) is the projections' concern.
 *
 * A directory is always published whole, so every rule here is about one
 * directory: ids match the SPEC id pattern and are unique, a parent or a
 * department's center is in the same directory, and parents form no cycle.
 */
import * as E from 'fp-ts/lib/Either.js';
import { isRegionId } from './calendar/service.js';
import type { FieldError } from './events.js';
import { textProblem, unknownNameErrors } from './inputBounds.js';
import { CASE_ID_DESCRIPTION } from './lists.js';

/** Center levels, from the top of the hierarchy down. */
export const CENTER_LEVELS = ['city', 'district', 'street', 'community'] as const;
export type CenterLevel = (typeof CENTER_LEVELS)[number];

export interface DirectoryCenter {
  readonly centerId: string;
  readonly name: string;
  readonly level: CenterLevel;
  readonly parentId?: string;
  /** The region whose regional days (民族节日) apply to this center's cases (SPEC §3). */
  readonly region?: string;
}

export interface DirectoryDepartment {
  readonly departmentId: string;
  readonly name: string;
  readonly centerId?: string;
  readonly contact?: string;
}

export interface Directory {
  readonly centers: readonly DirectoryCenter[];
  readonly departments: readonly DirectoryDepartment[];
}

export const EMPTY_DIRECTORY: Directory = { centers: [], departments: [] };

/** Bounds that keep a directory (and the metrics series it allows) finite. */
export const MAX_CENTERS = 5000;
export const MAX_DEPARTMENTS = 5000;
export const MAX_NAME_LENGTH = 200;
/** A refusal names at most this many problems, then counts the rest. */
const MAX_ERRORS_LISTED = 20;

const CENTER_FIELDS = new Set(['centerId', 'name', 'level', 'parentId', 'region']);
const DEPARTMENT_FIELDS = new Set(['departmentId', 'name', 'centerId', 'contact']);
const TOP_FIELDS = new Set(['centers', 'departments']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A directory from untrusted input, or every problem found, each naming its entry (`centers[2].parentId`). */
export function validateDirectory(input: unknown): E.Either<readonly FieldError[], Directory> {
  if (!isObject(input))
    return E.left([{ field: '(body)', message: 'expected an object {centers: [...], departments: [...]}' }]);
  const errors: FieldError[] = [];
  const unknownTop = Object.keys(input).filter((key) => !TOP_FIELDS.has(key));
  errors.push(...unknownNameErrors(unknownTop, 'is not a field of the directory'));
  const centersIn = listOf(input, 'centers', MAX_CENTERS, errors);
  const departmentsIn = listOf(input, 'departments', MAX_DEPARTMENTS, errors);
  const centers = centersIn.flatMap((raw, i) => {
    const c = centerOf(raw, `centers[${i}]`, errors);
    return c === undefined ? [] : [{ center: c, at: i }];
  });
  const departments = departmentsIn.flatMap((raw, i) => {
    const d = departmentOf(raw, `departments[${i}]`, errors);
    return d === undefined ? [] : [{ department: d, at: i }];
  });
  // Ids as sent (also of entries refused for another field), so a duplicate or a parent is judged on what was sent.
  const centerAt = uniqueIds(idsSent(centersIn, 'centerId'), 'centers', 'centerId', errors);
  uniqueIds(idsSent(departmentsIn, 'departmentId'), 'departments', 'departmentId', errors);
  for (const { center, at } of centers) {
    const p = center.parentId;
    if (p === undefined) continue;
    if (p === center.centerId) errors.push({ field: `centers[${at}].parentId`, message: `${p} is its own parent` });
    else if (!centerAt.has(p))
      errors.push({ field: `centers[${at}].parentId`, message: `${p} is not a center of this directory` });
  }
  for (const { department, at } of departments) {
    const c = department.centerId;
    if (c !== undefined && !centerAt.has(c))
      errors.push({ field: `departments[${at}].centerId`, message: `${c} is not a center of this directory` });
  }
  if (errors.length === 0) errors.push(...parentCycles(centers.map((x) => x.center)));
  if (errors.length > 0) return E.left(capErrors(errors));
  return E.right({ centers: centers.map((x) => x.center), departments: departments.map((x) => x.department) });
}

function listOf(input: Record<string, unknown>, key: string, max: number, errors: FieldError[]): unknown[] {
  const value = input[key];
  if (!Array.isArray(value)) {
    errors.push({ field: key, message: `must be an array${value === undefined ? '; it is missing' : ''}` });
    return [];
  }
  if (value.length > max) {
    errors.push({ field: key, message: `at most ${max} entries; got ${value.length}` });
    return [];
  }
  return value;
}

function unknownFields(raw: Record<string, unknown>, known: ReadonlySet<string>, at: string, errors: FieldError[]) {
  const unknown = Object.keys(raw).filter((key) => !known.has(key));
  errors.push(...unknownNameErrors(unknown, 'is not a field of this entry', (key) => `${at}.${key}`, at));
}

/**
 * A center or department id: what case and complaint events may carry (events.ts `Name`: 1–200
 * characters, one line), so every id a recorder sends can be registered. Until session 15 the
 * directory took only [A-Za-z0-9._-], and a case of center 延吉市中心 stayed 未登记 for ever.
 */
const DIRECTORY_ID_DESCRIPTION = 'an id of 1–200 characters on one line, as case events carry';
const isDirectoryId = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= MAX_NAME_LENGTH && textProblem(v, 'one-line') === undefined;

function idOf(raw: Record<string, unknown>, key: string, at: string, errors: FieldError[]): string | undefined {
  const v = raw[key];
  if (isDirectoryId(v)) return v;
  errors.push({ field: `${at}.${key}`, message: `must be ${DIRECTORY_ID_DESCRIPTION}; got ${shown(v)}` });
  return undefined;
}

function textOf(
  raw: Record<string, unknown>,
  key: string,
  at: string,
  errors: FieldError[],
  who: string = at,
): string | undefined {
  const v = raw[key];
  if (typeof v === 'string' && v.trim().length > 0 && v.length <= MAX_NAME_LENGTH) return v;
  errors.push({
    field: `${at}.${key}`,
    message: `${who}: ${key} must be a non-blank string of at most ${MAX_NAME_LENGTH} characters`,
  });
  return undefined;
}

/** Who the entry is, for messages: `centers[3] (street-x)`. */
const whom = (raw: Record<string, unknown>, key: string, at: string): string =>
  isDirectoryId(raw[key]) ? `${at} (${raw[key] as string})` : at;

function centerOf(raw: unknown, at: string, errors: FieldError[]): DirectoryCenter | undefined {
  if (!isObject(raw)) {
    errors.push({ field: at, message: 'must be an object {centerId, name, level, parentId?, region?}' });
    return undefined;
  }
  const before = errors.length;
  unknownFields(raw, CENTER_FIELDS, at, errors);
  const centerId = idOf(raw, 'centerId', at, errors);
  const name = textOf(raw, 'name', at, errors, whom(raw, 'centerId', at));
  const level = raw['level'];
  if (!(CENTER_LEVELS as readonly unknown[]).includes(level)) {
    errors.push({
      field: `${at}.level`,
      message: `${whom(raw, 'centerId', at)}: level must be one of ${CENTER_LEVELS.join(', ')}; got ${shown(level)}`,
    });
  }
  const parentId = raw['parentId'] === undefined ? undefined : idOf(raw, 'parentId', at, errors);
  const region = raw['region'];
  if (region !== undefined && (typeof region !== 'string' || !isRegionId(region))) {
    errors.push({ field: `${at}.region`, message: `must be ${CASE_ID_DESCRIPTION}; got ${shown(region)}` });
  }
  if (errors.length > before || centerId === undefined || name === undefined) return undefined;
  return {
    centerId,
    name,
    level: level as CenterLevel,
    ...(parentId === undefined ? {} : { parentId }),
    ...(region === undefined ? {} : { region: region as string }),
  };
}

function departmentOf(raw: unknown, at: string, errors: FieldError[]): DirectoryDepartment | undefined {
  if (!isObject(raw)) {
    errors.push({ field: at, message: 'must be an object {departmentId, name, centerId?, contact?}' });
    return undefined;
  }
  const before = errors.length;
  unknownFields(raw, DEPARTMENT_FIELDS, at, errors);
  const departmentId = idOf(raw, 'departmentId', at, errors);
  const name = textOf(raw, 'name', at, errors, whom(raw, 'departmentId', at));
  const centerId = raw['centerId'] === undefined ? undefined : idOf(raw, 'centerId', at, errors);
  const contact = raw['contact'] === undefined ? undefined : textOf(raw, 'contact', at, errors);
  if (errors.length > before || departmentId === undefined || name === undefined) return undefined;
  return {
    departmentId,
    name,
    ...(centerId === undefined ? {} : { centerId }),
    ...(contact === undefined ? {} : { contact }),
  };
}

/** The well-formed ids of a list's entries, with their index. */
function idsSent(list: readonly unknown[], key: string): { id: string; at: number }[] {
  return list.flatMap((raw, at) => {
    const id = isObject(raw) ? raw[key] : undefined;
    return isDirectoryId(id) ? [{ id, at }] : [];
  });
}

/** The first index of each id; a repeat is an error naming both entries. */
function uniqueIds(
  ids: readonly { id: string; at: number }[],
  list: string,
  key: string,
  errors: FieldError[],
): Map<string, number> {
  const first = new Map<string, number>();
  for (const { id, at } of ids) {
    const seen = first.get(id);
    if (seen === undefined) first.set(id, at);
    else errors.push({ field: `${list}[${at}].${key}`, message: `duplicate ${key} ${id} (also ${list}[${seen}])` });
  }
  return first;
}

/** One error per cycle of parents, naming the centers on it (ids and parents are known valid here). */
function parentCycles(centers: readonly DirectoryCenter[]): FieldError[] {
  const index = new Map(centers.map((c, i) => [c.centerId, i]));
  // 0 unvisited, 1 on the current walk, 2 done.
  const mark = new Uint8Array(centers.length);
  const errors: FieldError[] = [];
  for (let start = 0; start < centers.length; start++) {
    const walk: number[] = [];
    let i: number | undefined = start;
    while (i !== undefined && mark[i] === 0) {
      mark[i] = 1;
      walk.push(i);
      const parent: string | undefined = centers[i]!.parentId;
      i = parent === undefined ? undefined : index.get(parent);
    }
    if (i !== undefined && mark[i] === 1) {
      const cycle = walk.slice(walk.indexOf(i)).map((j) => centers[j]!.centerId);
      errors.push({
        field: `centers[${i}].parentId`,
        message: `parents form a cycle: ${[...cycle, cycle[0]].join(' → ')}`,
      });
    }
    for (const j of walk) mark[j] = 2;
  }
  return errors;
}

function capErrors(errors: FieldError[]): FieldError[] {
  if (errors.length <= MAX_ERRORS_LISTED) return errors;
  const rest = errors.length - MAX_ERRORS_LISTED;
  return [...errors.slice(0, MAX_ERRORS_LISTED), { field: '(directory)', message: `and ${rest} more problems` }];
}

function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Lookups over one directory. */
export interface DirectoryIndex {
  readonly directory: Directory;
  center(centerId: string): DirectoryCenter | undefined;
  department(departmentId: string): DirectoryDepartment | undefined;
  /** The region of a center's regional days; undefined for a center with none or not in the directory. */
  regionOfCenter(centerId: string): string | undefined;
}

export function indexDirectory(directory: Directory): DirectoryIndex {
  const centers = new Map(directory.centers.map((c) => [c.centerId, c]));
  const departments = new Map(directory.departments.map((d) => [d.departmentId, d]));
  return {
    directory,
    center: (id) => centers.get(id),
    department: (id) => departments.get(id),
    regionOfCenter: (id) => centers.get(id)?.region,
  };
}

/** True when the two directories give every center the same region (so no deadline changes). */
export function sameRegions(a: Directory, b: Directory): boolean {
  const regions = (d: Directory) =>
    d.centers
      .filter((c) => c.region !== undefined)
      .map((c) => `${c.centerId}=${c.region}`)
      .sort()
      .join('|');
  return regions(a) === regions(b);
}

/** True when the two directories hold the same entries in the same order (other fields of the values ignored). */
export function sameDirectory(a: Directory, b: Directory): boolean {
  const lists = (d: Directory) => JSON.stringify([d.centers, d.departments]);
  return lists(a) === lists(b);
}

/**
 * A directory as published (PUT /directory): validateDirectory, which stored publications replay under
 * too, and names and contacts each a line someone can read (textProblem): they replace ids in
 * pages and CSV.
 */
export function validateIncomingDirectory(input: unknown): E.Either<readonly FieldError[], Directory> {
  const checked = validateDirectory(input);
  if (E.isLeft(checked)) return checked;
  const d = checked.right;
  const texts: [string, string | undefined][] = [
    ...d.centers.map((c, i): [string, string] => [`centers[${i}].name`, c.name]),
    ...d.departments.flatMap((x, i): [string, string | undefined][] => [
      [`departments[${i}].name`, x.name],
      [`departments[${i}].contact`, x.contact],
    ]),
  ];
  const errors = texts.flatMap(([field, text]) => {
    const problem = text === undefined ? undefined : textProblem(text);
    return problem === undefined ? [] : [{ field, message: problem }];
  });
  return errors.length > 0 ? E.left(errors) : checked;
}

/**
 * What a center filter covers (`scope` on the figures, the lists and the live alerts, SPEC §4–§5):
 * `center`, exactly that center; `subtree`, the center and every center under it in the directory
 * (parentId followed down, transitively) — what a district's 效能办 reports on (SPEC §5: the 五华区
 * report ranks its 街道).
 */
export const CENTER_SCOPES = ['center', 'subtree'] as const;
export type CenterScope = (typeof CENTER_SCOPES)[number];

/** The centers a read counts: undefined for every center (no center filter), else the set of their ids. */
export type CenterSet = ReadonlySet<string> | undefined;

/** Each center's children, per directory (a directory is never changed in place: it is replaced whole). */
const childrenCache = new WeakMap<Directory, ReadonlyMap<string, readonly string[]>>();

function childrenOf(directory: Directory): ReadonlyMap<string, readonly string[]> {
  let children = childrenCache.get(directory);
  if (children === undefined) {
    const map = new Map<string, string[]>();
    for (const c of directory.centers) {
      if (c.parentId === undefined) continue;
      const list = map.get(c.parentId);
      if (list === undefined) map.set(c.parentId, [c.centerId]);
      else list.push(c.centerId);
    }
    childrenCache.set(directory, (children = map));
  }
  return children;
}

/**
 * The one rule of which centers a scope covers: `centerId` alone, or with every center below it in
 * `directory` (the one published now). A center not in the directory, or with no directory published,
 * covers itself alone. A published directory has no cycle (validateDirectory), and the walk visits a
 * center once whatever it is given, so it ends in any case.
 */
export function centersInScope(directory: Directory, centerId: string, scope: CenterScope): ReadonlySet<string> {
  const covered = new Set([centerId]);
  if (scope === 'center') return covered;
  const children = childrenOf(directory);
  const pending = [centerId];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    for (const child of children.get(id) ?? []) {
      if (covered.has(child)) continue;
      covered.add(child);
      pending.push(child);
    }
  }
  return covered;
}

/** A read's center filter (`centerId`, `scope`: default `center`) as the set of centers it counts. */
export function centerSetOf(
  filter: { readonly centerId?: string; readonly scope?: CenterScope } | undefined,
  directory: Directory = EMPTY_DIRECTORY,
): CenterSet {
  const centerId = filter?.centerId;
  return centerId === undefined ? undefined : centersInScope(directory, centerId, filter?.scope ?? 'center');
}

/** True when `centerId` is one of the centers counted (any, with no center filter). */
export const inCenterSet = (centers: CenterSet, centerId: string | undefined): boolean =>
  centers === undefined || (centerId !== undefined && centers.has(centerId));
