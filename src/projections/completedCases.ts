/**
 * Completed cases in columns (issue 18, goal 1): a completed case that nothing
 * can change without a new event (no alert in force, not queued for a timer) is
 * kept as one row of typed arrays instead of its state and entry objects, and
 * turned back into exactly the same `CaseEntry` when something reads it or a
 * new event (a rating, a late record) arrives.
 *
 * Only shapes that can be rebuilt exactly are kept as rows: every acceptance
 * field a string or a number, pauses in evolve's field order (in a pool beside
 * the rows), a rating in evolve's field order. The rarer parts (escalations,
 * extensions, late records, a 差评's follow-up and its due instant) are kept
 * as bytes in a pool beside the rows (treePool.ts: plain values only), read
 * back as equal fresh arrays and objects. Any other case stays an object
 * (`add` says no). The acceptance fields are shared: cases with the same
 * acceptance (center, department, matter, kind, promised days, channel, …)
 * point at one object, so a row holds a profile number, not strings.
 *
 * A row costs 50 bytes of columns (instants but the acceptance as 4-byte
 * offsets from it, instantColumn.ts), 1 for the comment (stringCodes.ts), 6 per card, 18
 * per pause (pausePool.ts), plus its case's slot and id (caseTable.ts, caseIds.ts).
 *
 * Over 300 lines: the shape test, the columns, their rebuild and their
 * snapshot export/import must change together (a field added to one and not
 * the others breaks exactness).
 */
import { initialCaseState } from '../domain/evolve.js';
import { intern } from '../domain/intern.js';
import { OUTCOMES, PAUSE_REASONS, RATING_CHANNELS } from '../domain/lists.js';
import type { CaseState, PauseState, RatingState } from '../domain/types.js';
import { FLAG_EVALUATED, type CaseEntry } from './caseEntry.js';
import { EpochColumn } from './epochColumn.js';
import { InstantColumn } from './instantColumn.js';
import { grown, PausePool, type RowsWithPauses } from './pausePool.js';
import { StringCodes } from './stringCodes.js';
import { encodable, type Tree, TreePool } from './treePool.js';
import { countOf, exportColumns, field, importColumns, listOf, columnOf, type Parts } from './snapshotRows.js';

type Accepted = NonNullable<CaseState['accepted']>;

const NONE = initialCaseState('').pauses as readonly never[];
const OUTCOME_INDEX: ReadonlyMap<string, number> = new Map(OUTCOMES.map((o, i) => [o, i + 1]));
const CHANNEL_INDEX: ReadonlyMap<string, number> = new Map(RATING_CHANNELS.map((c, i) => [c, i]));
/** A case's stream revision and its used days fit 16 bits (a case of more events or days stays an object). */
const UINT16_MAX = 0xffff;
const INT16_MAX = 0x7fff;
const MAX_CARDS = 255;
const MAX_PAUSES = 255;
/** The profile table's first size (slots; a power of two), doubled whenever it would be more than half full. */
const MIN_PROFILE_SLOTS = 256;
/** Values a profile keeps for its lookups (`profileValues`): its form, then ACCEPTANCE_ORDER's fields. */
const PROFILE_VALUES = 10;

/**
 * One copy of each string the profiles' lookup values hold (the domain's bounded intern pool): a
 * value the decoder did not make one string for every case (a category of more than 10 characters,
 * 'public-service') is compared with a copy all profiles share, likely in cache, instead of the
 * string of the profile's first case, likely not.
 */
const sharedValue = (v: unknown): unknown => (typeof v === 'string' ? intern(v) : v);

/** A number a Float64Array slot gives back as it was, with NaN left to mean "absent". */
const storable = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v) && !Object.is(v, -0);

/** The optional fields of a pause, in evolve's order (resumedAt is added last, when it resumes). */
const PAUSE_OPTIONAL = ['declaredDays', 'note', 'recordedAt', 'resumedAt'] as const;

/**
 * The fields of a pause in evolve's order, by which optional fields it has (bit k: PAUSE_OPTIONAL[k]):
 * 16 shared lists, where an array built per pause was most of a pause's check.
 */
const PAUSE_KEYS: readonly (readonly string[])[] = Array.from({ length: 1 << PAUSE_OPTIONAL.length }, (_, bits) => [
  'pauseId',
  'reason',
  'pausedAt',
  ...PAUSE_OPTIONAL.filter((_, k) => (bits & (1 << k)) !== 0),
]);

/** The fields of a pause in evolve's order. */
function pauseKeys(p: PauseState): readonly string[] {
  return PAUSE_KEYS[
    (p.declaredDays === undefined ? 0 : 1) |
      (p.note === undefined ? 0 : 2) |
      (p.recordedAt === undefined ? 0 : 4) |
      (p.resumedAt === undefined ? 0 : 8)
  ]!;
}

/** A pause a row can hold exactly. */
function rowPause(p: PauseState): boolean {
  return (
    typeof p.pauseId === 'string' &&
    PAUSE_REASONS.includes(p.reason) &&
    storable(p.pausedAt) &&
    (p.declaredDays === undefined || storable(p.declaredDays)) &&
    (p.note === undefined || typeof p.note === 'string') &&
    (p.recordedAt === undefined || storable(p.recordedAt)) &&
    (p.resumedAt === undefined || storable(p.resumedAt)) &&
    hasOnlyKeys(p, pauseKeys(p))
  );
}

/** `o` has exactly `keys`, in that order (no array built: this runs for every completed case). */
function hasOnlyKeys(o: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) if (keys[i++] !== k) return false;
  return i === keys.length;
}

/** Pauses a row can hold exactly (a loop, not `every` with a callback: this runs for every completed case). */
function rowPauses(pauses: readonly PauseState[]): boolean {
  if (pauses.length > MAX_PAUSES) return false;
  for (let i = 0; i < pauses.length; i++) if (!rowPause(pauses[i]!)) return false;
  return true;
}

/**
 * The fields evolve gives an acceptance, in its order (evolve.ts, CaseAccepted): an acceptance whose
 * fields are some of these in this order has its key list told by which of them it has (a bit each).
 */
const ACCEPTANCE_ORDER = [
  'centerId',
  'departmentId',
  'matterCode',
  'kind',
  'promisedDays',
  'channel',
  'matterName',
  'legalDays',
  'category',
] as const;

/** `acceptanceForm`: a field is not a string or a number (or is −0); no row can share it. */
const NOT_PLAIN = -2;
/** `acceptanceForm`: plain, its fields not some of ACCEPTANCE_ORDER in that order. */
const OTHER_ORDER = -1;

/**
 * An acceptance's form, from one pass over its fields: NOT_PLAIN, OTHER_ORDER, or (its fields some of
 * ACCEPTANCE_ORDER, in that order, as evolve makes them) the bits of the ones it has (bit k:
 * ACCEPTANCE_ORDER[k]). A plain acceptance (every field a string or a number, not −0, none undefined)
 * is exactly rebuilt by a shared copy; two of the same bits have the same key list.
 */
function acceptanceForm(a: Accepted): number {
  let bits = 0;
  let next = 0; // the first field of ACCEPTANCE_ORDER the next key may be
  for (const k in a) {
    const v = (a as Record<string, unknown>)[k];
    if (typeof v !== 'string' && (typeof v !== 'number' || Object.is(v, -0))) return NOT_PLAIN;
    if (bits < 0) continue;
    while (next < ACCEPTANCE_ORDER.length && ACCEPTANCE_ORDER[next] !== k) next++;
    if (next === ACCEPTANCE_ORDER.length) bits = OTHER_ORDER;
    else bits |= 1 << next++;
  }
  return bits;
}

/** Every field of the acceptance is a string or a number (not −0), none undefined: a shared copy is then exact. */
function plainAcceptance(a: Accepted): boolean {
  return acceptanceForm(a) !== NOT_PLAIN;
}

/**
 * `accepted` has the profile's fields (`keys`, in order), with the same values: by name for evolve's
 * fields (sameNamedFields: `===` for the strings, `Object.is` for the two numbers), else `Object.is`.
 */
function sameAcceptance(profile: Accepted, keys: readonly string[], accepted: Accepted): boolean {
  if (!hasOnlyKeys(accepted, keys)) return false;
  if (NAMED_KEY_LISTS.has(keys)) return sameNamedFields(profile, accepted);
  const a = profile as Record<string, unknown>;
  const b = accepted as Record<string, unknown>;
  for (const k of keys) if (!Object.is(a[k], b[k])) return false;
  return true;
}

/**
 * The fields evolve gives an acceptance (evolve.ts, CaseAccepted). Where a
 * profile has no other, its values are compared by name: reading fields by a
 * key in a variable was most of a new case's profile lookup (4 s of a 10 M-event
 * rebuild). A field not named here sends its profiles the general way.
 */
const NAMED_FIELDS: ReadonlySet<string> = new Set(ACCEPTANCE_ORDER);

/** Same values in every field of NAMED_FIELDS (absent in both when the key lists are equal). */
function sameNamedFields(x: Accepted, y: Accepted): boolean {
  return (
    x.centerId === y.centerId &&
    x.departmentId === y.departmentId &&
    x.matterCode === y.matterCode &&
    x.kind === y.kind &&
    Object.is(x.promisedDays, y.promisedDays) &&
    x.channel === y.channel &&
    x.matterName === y.matterName &&
    Object.is(x.legalDays, y.legalDays) &&
    x.category === y.category
  );
}

function mixed(h: number, v: unknown): number {
  if (typeof v === 'string') {
    for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
    return Math.imul(h ^ 0xff, 0x01000193);
  }
  return Math.imul(h ^ (typeof v === 'number' ? v | 0 : 0), 0x01000193);
}

/** A 30-bit hash (+ 1 it is a nonzero Int32, the profile table's tag) of an acceptance's place and terms: equal acceptances hash equal. */
function acceptanceHash(a: Accepted): number {
  let h = 0x811c9dc5;
  h = mixed(h, a.centerId);
  h = mixed(h, a.departmentId);
  h = mixed(h, a.matterCode);
  h = mixed(h, a.promisedDays);
  h = mixed(h, a.channel);
  return h >>> 2;
}

/** The field lists of the profiles, one array per distinct list (profiles are many, their shapes few). */
const KEY_LISTS = new Map<string, readonly string[]>();

/** The shared key lists whose every key is in NAMED_FIELDS. */
const NAMED_KEY_LISTS = new Set<readonly string[]>();

function keysOf(accepted: Accepted): readonly string[] {
  const keys: string[] = [];
  for (const k in accepted) keys.push(k);
  const signature = keys.join('\u0000');
  let shared = KEY_LISTS.get(signature);
  if (shared === undefined) {
    KEY_LISTS.set(signature, (shared = keys));
    if (keys.every((k) => NAMED_FIELDS.has(k))) NAMED_KEY_LISTS.add(keys);
  }
  return shared;
}

/** The fields of a rating in evolve's order (a follow-up is added last). */
const RATING_KEYS = [
  ['at', 'score', 'channel'],
  ['at', 'score', 'channel', 'comment'],
  ['at', 'score', 'channel', 'followUp'],
  ['at', 'score', 'channel', 'comment', 'followUp'],
] as const;

/** A rating a row can hold exactly: at, score, channel, maybe a comment and a follow-up, in evolve's order. */
function rowRating(r: RatingState): boolean {
  const keys = RATING_KEYS[(r.comment === undefined ? 0 : 1) + (r.followUp === undefined ? 0 : 2)]!;
  return (
    Number.isInteger(r.score) &&
    r.score >= 1 &&
    r.score <= 255 &&
    CHANNEL_INDEX.has(r.channel) &&
    (r.comment === undefined || typeof r.comment === 'string') &&
    (r.followUp === undefined || typeof r.followUp === 'object') &&
    hasOnlyKeys(r, keys)
  );
}

/**
 * The rarer parts of a completed case: escalations and the instants their
 * replies were due, extensions, late records, a 差评's follow-up. Kept as bytes
 * (treePool.ts), read back as equal fresh arrays and objects.
 */
interface Extras {
  readonly escalations: CaseState['escalations'];
  readonly respondBy: CaseEntry['respondBy'];
  readonly extensions: CaseState['extensions'];
  readonly lateRecords: CaseState['lateRecords'];
  readonly followUp: RatingState['followUp'];
  /** The entry's `followUpDue` (NaN when none): only a 差评 has one, so it is kept here, not in a column. */
  readonly followUpDue: number;
}

/** A tree `extrasTree` could have given (a snapshot read back). */
function extrasShaped(tree: Tree): boolean {
  if (!Array.isArray(tree) || tree.length !== 6) return false;
  const [escalations, respondBy, extensions, lateRecords, followUp, followUpDue] = tree as readonly Tree[];
  const isObject = (v: Tree) => typeof v === 'object' && v !== null && !Array.isArray(v);
  return (
    Array.isArray(escalations) &&
    (respondBy === undefined || Array.isArray(respondBy)) &&
    Array.isArray(extensions) &&
    Array.isArray(lateRecords) &&
    (followUp === undefined || isObject(followUp)) &&
    typeof followUpDue === 'number'
  );
}

/** Extras as a tree, its fields by position (no key written per row). */
function extrasTree(e: Extras): Tree {
  return [
    e.escalations as unknown as Tree,
    e.respondBy as Tree,
    e.extensions as unknown as Tree,
    e.lateRecords as unknown as Tree,
    e.followUp as unknown as Tree,
    e.followUpDue,
  ];
}

/** The extras `extrasTree` gave (empty lists as the shared empty list). */
function extrasFrom(tree: Tree): Extras {
  const [escalations, respondBy, extensions, lateRecords, followUp, followUpDue] = tree as readonly unknown[];
  const list = <T>(v: unknown): readonly T[] => ((v as readonly T[]).length === 0 ? NONE : (v as readonly T[]));
  return {
    escalations: list(escalations),
    respondBy: respondBy as Extras['respondBy'],
    extensions: list(extensions),
    lateRecords: list(lateRecords),
    followUp: followUp as Extras['followUp'],
    followUpDue: followUpDue as number,
  };
}

/** The extras a row can keep exactly (plain values: treePool.ts). */
function encodableExtras(entry: CaseEntry): boolean {
  const s = entry.state;
  return (
    (s.escalations.length === 0 || encodable(s.escalations)) &&
    (s.extensions.length === 0 || encodable(s.extensions)) &&
    (s.lateRecords.length === 0 || encodable(s.lateRecords)) &&
    (entry.respondBy === undefined || encodable(entry.respondBy)) &&
    (s.rating?.followUp === undefined || encodable(s.rating.followUp))
  );
}

function extrasOf(entry: CaseEntry): Extras | undefined {
  const s = entry.state;
  const followUp = s.rating?.followUp;
  if (
    s.escalations.length === 0 &&
    s.extensions.length === 0 &&
    s.lateRecords.length === 0 &&
    entry.respondBy === undefined &&
    followUp === undefined &&
    Number.isNaN(entry.followUpDue)
  )
    return undefined;
  return {
    escalations: s.escalations,
    respondBy: entry.respondBy,
    extensions: s.extensions,
    lateRecords: s.lateRecords,
    followUp,
    followUpDue: entry.followUpDue,
  };
}

/** Whether `entry` has the shape a row rebuilds exactly, and nothing can change it without a new event. */
export function isCompactable(entry: CaseEntry): boolean {
  return compactableButAcceptance(entry) && plainAcceptance(entry.state.accepted!);
}

/** `isCompactable` but for the acceptance's fields (`acceptanceForm`), which `add` reads once for both. */
function compactableButAcceptance(entry: CaseEntry): boolean {
  const s = entry.state;
  const cards = entry.cards;
  return (
    s.status === 'completed' &&
    s.caseId === entry.caseId &&
    s.accepted !== undefined &&
    s.acceptedAt !== undefined &&
    s.completedAt !== undefined &&
    s.lastOccurredAt !== undefined &&
    rowPauses(s.pauses) &&
    (s.outcome === undefined || OUTCOME_INDEX.has(s.outcome)) &&
    Number.isInteger(s.revision) &&
    s.revision >= 0 &&
    s.revision <= UINT16_MAX &&
    (s.rating === undefined || rowRating(s.rating)) &&
    encodableExtras(entry) &&
    (entry.flags & FLAG_EVALUATED) !== 0 &&
    entry.flags < 256 &&
    Number.isInteger(entry.usedDays) &&
    Math.abs(entry.usedDays) <= INT16_MAX &&
    entry.alerts === undefined &&
    Number.isNaN(entry.dueAt) &&
    (cards === undefined || rowCards(cards))
  );
}

/** Cards a row can hold exactly: pairs of a start (any number) and a code of 16 bits. */
function rowCards(cards: readonly number[]): boolean {
  if (cards.length === 0 || cards.length % 2 !== 0 || cards.length / 2 > MAX_CARDS) return false;
  for (let i = 1; i < cards.length; i += 2) {
    const code = cards[i]!;
    if (!Number.isInteger(code) || code < 0 || code > UINT16_MAX || Object.is(code, -0)) return false;
  }
  return true;
}

/**
 * The typed columns of one value per row, by field name, and the instant columns: what a snapshot
 * copies (exportParts / fromParts). A column added to the class is named here too.
 */
const ROW_COLUMNS = [
  'revision',
  'usedDays',
  'profile',
  'cardsAt',
  'cardCount',
  'flags',
  'outcome',
  'ratingScore',
  'ratingChannel',
  'pausesAt',
  'pauseCount',
] as const;
const INSTANT_COLUMNS = ['completedAt', 'lastOccurredAt', 'deadlineAt', 'ratingAt'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

export class CompletedCases {
  private capacity = 0;
  private used = 0;
  private readonly free: number[] = [];
  /** 6 bytes a row (epochColumn.ts). */
  private acceptedAt = new EpochColumn();
  /** The other instants, as offsets from `acceptedAt` (instantColumn.ts). */
  private completedAt = new InstantColumn();
  private lastOccurredAt = new InstantColumn();
  private deadlineAt = new InstantColumn();
  private ratingAt = new InstantColumn();
  private revision = new Uint16Array(0);
  private usedDays = new Int16Array(0);
  /** 16 bits while there are at most 65,536 profiles (a province has ≈ 15,000), then 32. */
  private profile: Uint16Array | Int32Array = new Uint16Array(0);
  private cardsAt = new Int32Array(0);
  private cardCount = new Uint8Array(0);
  private flags = new Uint8Array(0);
  private outcome = new Uint8Array(0);
  /** 0: not rated; else the score. */
  private ratingScore = new Uint8Array(0);
  private ratingChannel = new Uint8Array(0);
  private pausesAt = new Int32Array(0);
  private pauseCount = new Uint8Array(0);
  private pauses = new PausePool();
  /** The few rows with escalations, extensions, late records or a follow-up. */
  private extras = new TreePool();
  /** One byte per row (stringCodes.ts). */
  private comments = new StringCodes();
  /**
   * Cards of every row, one slot per card: its start as an offset from the row's acceptance
   * (instantColumn.ts) and its code in 16 bits; a freed row's cards stay until `cardSlack` says to repack.
   */
  private cardStart = new InstantColumn();
  private cardCode = new Uint16Array(0);
  private cardPoolUsed = 0;
  private cardSlack = 0;
  /** The shared acceptances, by profile number, and their fields in order. */
  private readonly profiles: Accepted[] = [];
  private readonly profileKeys: (readonly string[])[] = [];
  /**
   * Per profile, PROFILE_VALUES values side by side (≈ 40 bytes): its `acceptanceForm`, then its fields
   * of ACCEPTANCE_ORDER (undefined where it has none). A lookup compares these, one or two cache lines,
   * where reading the profile object (evolve's fields past the sixth in an array of their own) and its
   * lists took three or four: most of a lookup's time in a rebuild was waiting on those reads.
   */
  private readonly profileValues: unknown[] = [];
  /**
   * Profile numbers by `acceptanceHash`, in a table of pairs (the hash + 1, 0 for an empty slot; the
   * number), open addressing from the hash's low bits, a collision taking the next slot; at most half
   * full (≈ 16–32 bytes a profile, where a `Map` of small integers took ≈ 30 and maps by center,
   * department and matter ≈ 130). A lookup reads one pair, not a `Map`'s bucket and entry, and a
   * profile whose hash differs is passed over without reading its fields.
   */
  private profileSlots = new Int32Array(2 * MIN_PROFILE_SLOTS);

  /** Rows in use. */
  get size(): number {
    return this.used - this.free.length;
  }

  /** Rows made so far, free or in use (the row numbers are below it). */
  get capacityUsed(): number {
    return this.used;
  }

  /** The rows released and not yet used again. */
  get freeRows(): readonly number[] {
    return this.free;
  }

  /** Keep `entry` as a row; its number, or undefined when its shape is not one a row rebuilds exactly. */
  add(entry: CaseEntry): number | undefined {
    if (!compactableButAcceptance(entry)) return undefined;
    const s = entry.state;
    const form = acceptanceForm(s.accepted!);
    if (form === NOT_PLAIN) return undefined;
    const row = this.free.pop() ?? this.newRow();
    const acceptedAt = s.acceptedAt!;
    this.acceptedAt.set(row, acceptedAt);
    this.completedAt.set(row, s.completedAt!, acceptedAt);
    this.lastOccurredAt.set(row, s.lastOccurredAt!, acceptedAt);
    this.deadlineAt.set(row, entry.deadlineAt, acceptedAt);
    this.revision[row] = s.revision;
    this.usedDays[row] = entry.usedDays;
    const profile = this.profileNumber(s.accepted!, form);
    if (profile > 0xffff && this.profile instanceof Uint16Array) this.profile = Int32Array.from(this.profile);
    this.profile[row] = profile;
    this.flags[row] = entry.flags;
    this.outcome[row] = s.outcome === undefined ? 0 : OUTCOME_INDEX.get(s.outcome)!;
    const r = s.rating;
    this.ratingScore[row] = r === undefined ? 0 : r.score;
    this.ratingChannel[row] = r === undefined ? 0 : CHANNEL_INDEX.get(r.channel)!;
    this.ratingAt.set(row, r === undefined ? Number.NaN : r.at, acceptedAt);
    this.comments.set(row, r?.comment);
    // A new or released row holds no tree (`release` deletes it; `fromParts` refuses a free row holding one).
    const extras = extrasOf(entry);
    if (extras !== undefined) this.extras.set(row, extrasTree(extras));
    this.storeCards(row, entry.cards, acceptedAt);
    // The count after the pool has placed them: a repack inside `add` moves only the rows already holding pauses.
    if (s.pauses.length > 0) this.pausesAt[row] = this.pauses.add(s.pauses, this.pausesInUse());
    this.pauseCount[row] = s.pauses.length;
    return row;
  }

  /** The case `caseId` of row `row`, rebuilt (a fresh object, equal to the entry that was added). */
  entryAt(row: number, caseId: string): CaseEntry {
    const acceptedAt = this.acceptedAt.get(row);
    const outcome = this.outcome[row]!;
    const score = this.ratingScore[row]!;
    let rating: RatingState | undefined;
    if (score !== 0) {
      const at = this.ratingAt.get(row, acceptedAt);
      const channel = RATING_CHANNELS[this.ratingChannel[row]!]!;
      const comment = this.comments.get(row);
      rating = comment === undefined ? { at, score, channel } : { at, score, channel, comment };
    }
    const tree = this.extras.get(row);
    const extras = tree === undefined ? undefined : extrasFrom(tree);
    const followUp = extras?.followUp;
    if (followUp !== undefined) rating = { ...rating!, followUp };
    const state: CaseState = {
      caseId,
      revision: this.revision[row]!,
      accepted: this.profiles[this.profile[row]!]!,
      acceptedAt,
      status: 'completed',
      pauses: this.pauseCount[row] === 0 ? NONE : this.pauses.read(this.pausesAt[row]!, this.pauseCount[row]!),
      escalations: extras?.escalations ?? NONE,
      extensions: extras?.extensions ?? NONE,
      completedAt: this.completedAt.get(row, acceptedAt),
      outcome: outcome === 0 ? undefined : OUTCOMES[outcome - 1]!,
      lastOccurredAt: this.lastOccurredAt.get(row, acceptedAt),
      lateRecords: extras?.lateRecords ?? NONE,
      rating,
    };
    return {
      caseId,
      state,
      flags: this.flags[row]!,
      usedDays: this.usedDays[row]!,
      deadlineAt: this.deadlineAt.get(row, acceptedAt),
      cards: this.cardsOf(row, acceptedAt),
      respondBy: extras?.respondBy,
      followUpDue: extras === undefined ? Number.NaN : extras.followUpDue,
      alerts: undefined,
      dueAt: Number.NaN,
    };
  }

  /** The stream revision row `row` has folded (a replayed event at or below it changes nothing). */
  revisionAt(row: number): number {
    return this.revision[row]!;
  }

  /** Take row `row` out (its case becomes an object again): the entry it held. */
  release(row: number, caseId: string): CaseEntry {
    const entry = this.entryAt(row, caseId);
    this.cardSlack += this.cardCount[row]!;
    this.cardCount[row] = 0;
    this.pauses.release(this.pauseCount[row]!);
    this.pauseCount[row] = 0;
    this.comments.set(row, undefined);
    this.extras.delete(row);
    for (const column of this.instantColumns()) column.clear(row);
    this.acceptedAt.clear(row);
    this.free.push(row);
    return entry;
  }

  /**
   * A copy of every row, pool and profile, for a snapshot (snapshotRows.ts
   * writes it as raw bytes): taken in one synchronous step, so later changes
   * never reach a snapshot being written.
   */
  exportParts(): Parts {
    const n = this.used;
    const instants: Record<string, Parts> = {};
    for (const name of INSTANT_COLUMNS) instants[name] = this[name].exportParts(n);
    return {
      used: n,
      free: Int32Array.from(this.free),
      columns: exportColumns(this, ROW_COLUMNS, n),
      instants,
      acceptedAt: this.acceptedAt.copy(n) as unknown as Parts,
      pauses: this.pauses.exportParts(),
      extras: this.extras.copy() as unknown as Parts,
      comments: this.comments.exportParts(n),
      cardStarts: this.cardStart.exportParts(this.cardPoolUsed),
      cardCodes: this.cardCode.slice(0, this.cardPoolUsed),
      cardSlack: this.cardSlack,
      profiles: [...this.profiles] as unknown as Parts,
    };
  }

  /** The rows `exportParts` gave; RangeError naming what is wrong (nothing is read out of bounds later). */
  static fromParts(parts: Parts): CompletedCases {
    const c = new CompletedCases();
    const n = countOf(parts, 'used');
    c.used = n;
    c.capacity = n;
    if (field(field(parts, 'columns'), 'profile') instanceof Int32Array) c.profile = new Int32Array(0); // widened
    importColumns(c, field(parts, 'columns'), ROW_COLUMNS, n);
    c.acceptedAt = EpochColumn.fromParts(field(parts, 'acceptedAt'), n);
    const instants = field(parts, 'instants');
    for (const name of INSTANT_COLUMNS) c[name] = InstantColumn.fromParts(field(instants, name), n);
    c.pauses = PausePool.fromParts(field(parts, 'pauses'));
    c.cardCode = columnOf(parts, 'cardCodes', c.cardCode);
    c.cardPoolUsed = c.cardCode.length;
    c.cardStart = InstantColumn.fromParts(field(parts, 'cardStarts'), c.cardPoolUsed);
    c.cardSlack = countOf(parts, 'cardSlack');
    for (const accepted of listOf(parts, 'profiles')) {
      const form = isRecord(accepted) ? acceptanceForm(accepted as unknown as Accepted) : NOT_PLAIN;
      if (form === NOT_PLAIN || !(accepted as Record<string, unknown>)['centerId'])
        throw new RangeError(`rows: profile ${c.profiles.length} is not an acceptance`);
      c.addProfile(accepted as unknown as Accepted, form);
    }
    const free = columnOf(parts, 'free', new Int32Array(0));
    const isFree = new Uint8Array(n);
    for (const row of free) {
      if (row < 0 || row >= n || isFree[row] === 1) throw new RangeError(`rows: free row ${row} is not a row`);
      isFree[row] = 1;
      c.free.push(row);
    }
    const pausesUsed = countOf(field(parts, 'pauses'), 'used');
    for (let row = 0; row < n; row++) {
      const cards = c.cardCount[row]!;
      const pauses = c.pauseCount[row]!;
      if (
        (isFree[row] === 1 && (cards > 0 || pauses > 0)) ||
        c.profile[row]! >= c.profiles.length ||
        c.outcome[row]! > OUTCOMES.length ||
        c.ratingChannel[row]! >= RATING_CHANNELS.length ||
        (cards > 0 && c.cardsAt[row]! + cards > c.cardPoolUsed) ||
        (pauses > 0 && c.pausesAt[row]! + pauses > pausesUsed)
      )
        throw new RangeError(`rows: row ${row} points outside its pools`);
    }
    c.comments = StringCodes.fromParts(field(parts, 'comments'), n);
    const extras = field(parts, 'extras');
    c.extras = TreePool.fromCopy(
      {
        rows: columnOf(extras, 'rows', new Int32Array(0)),
        starts: columnOf(extras, 'starts', new Int32Array(0)),
        bytes: columnOf(extras, 'bytes', new Uint8Array(0)),
        shared: listOf(extras, 'shared') as readonly string[],
      },
      n,
    );
    for (let row = 0; row < n; row++) {
      const tree = c.extras.get(row);
      if (tree !== undefined && !extrasShaped(tree)) throw new RangeError(`rows: extras of row ${row} are not a row's`);
      if (tree !== undefined && isFree[row] === 1) throw new RangeError(`rows: free row ${row} holds extras`);
    }
    return c;
  }

  private newRow(): number {
    const row = this.used++;
    if (row >= this.capacity) {
      const size = Math.max(1024, this.capacity + (this.capacity >> 3)); // as grown(): an eighth
      this.acceptedAt.grow(size);
      for (const column of this.instantColumns()) column.grow(size);
      this.comments.grow(size);
      this.revision = grown(this.revision, size);
      this.usedDays = grown(this.usedDays, size);
      this.profile = grown(this.profile, size);
      this.cardsAt = grown(this.cardsAt, size);
      this.cardCount = grown(this.cardCount, size);
      this.pausesAt = grown(this.pausesAt, size);
      this.pauseCount = grown(this.pauseCount, size);
      this.flags = grown(this.flags, size);
      this.outcome = grown(this.outcome, size);
      this.ratingScore = grown(this.ratingScore, size);
      this.ratingChannel = grown(this.ratingChannel, size);
      this.capacity = size;
    }
    return row;
  }

  private instantColumns(): InstantColumn[] {
    return [this.completedAt, this.lastOccurredAt, this.deadlineAt, this.ratingAt];
  }

  /**
   * One shared acceptance object per distinct acceptance (same fields, same order, same values); `form`
   * is `acceptanceForm(accepted)`, not NOT_PLAIN. Two acceptances in evolve's order have the same fields
   * in the same order when their forms are equal, so their values alone are compared, not their keys again.
   */
  private profileNumber(accepted: Accepted, form: number): number {
    const tag = acceptanceHash(accepted) + 1;
    const slots = this.profileSlots;
    const mask = (slots.length >> 1) - 1;
    for (let i = tag & mask; ; i = (i + 1) & mask) {
      const t = slots[2 * i]!;
      if (t === 0) return this.addProfile(accepted, form);
      if (t !== tag) continue;
      const n = slots[2 * i + 1]!;
      if (
        form >= 0
          ? this.sameProfileValues(n, form, accepted)
          : sameAcceptance(this.profiles[n]!, this.profileKeys[n]!, accepted)
      )
        return n;
    }
  }

  /** A new profile for `accepted` of form `form`: its number. */
  private addProfile(accepted: Accepted, form: number): number {
    const n = this.profiles.length;
    this.profiles.push(accepted);
    this.profileKeys.push(keysOf(accepted));
    const values = this.profileValues;
    values.push(form);
    for (const k of ACCEPTANCE_ORDER) values.push(sharedValue((accepted as Record<string, unknown>)[k]));
    if (2 * this.profiles.length > this.profileSlots.length >> 1) {
      // Twice the slots, the profiles placed again in their order (an earlier equal profile stays found first).
      this.profileSlots = new Int32Array(2 * this.profileSlots.length);
      for (let k = 0; k < this.profiles.length; k++) this.placeProfile(k);
    } else this.placeProfile(n);
    return n;
  }

  /**
   * Profile `n` is of form `form` (evolve's order) and has `accepted`'s values: `sameNamedFields` on the
   * values kept in `profileValues`. Two acceptances of one such form have the same fields in the same order.
   */
  private sameProfileValues(n: number, form: number, accepted: Accepted): boolean {
    const v = this.profileValues;
    const at = n * PROFILE_VALUES;
    return (
      v[at] === form &&
      v[at + 1] === accepted.centerId &&
      v[at + 2] === accepted.departmentId &&
      v[at + 3] === accepted.matterCode &&
      v[at + 4] === accepted.kind &&
      Object.is(v[at + 5], accepted.promisedDays) &&
      v[at + 6] === accepted.channel &&
      v[at + 7] === accepted.matterName &&
      Object.is(v[at + 8], accepted.legalDays) &&
      v[at + 9] === accepted.category
    );
  }

  /** Put profile `n` in the first empty slot from its hash. */
  private placeProfile(n: number): void {
    const tag = acceptanceHash(this.profiles[n]!) + 1;
    const slots = this.profileSlots;
    const mask = (slots.length >> 1) - 1;
    let i = tag & mask;
    while (slots[2 * i] !== 0) i = (i + 1) & mask;
    slots[2 * i] = tag;
    slots[2 * i + 1] = n;
  }

  private storeCards(row: number, cards: readonly number[] | undefined, base: number): void {
    if (cards === undefined) {
      this.cardCount[row] = 0;
      return;
    }
    if (this.cardSlack > 2048 && this.cardSlack > this.cardPoolUsed / 2) this.repackCards();
    const at = this.cardPoolUsed;
    const n = cards.length / 2;
    this.cardStart.grow(at + n);
    if (at + n > this.cardCode.length) this.cardCode = grown(this.cardCode, at + n);
    for (let k = 0; k < n; k++) {
      this.cardStart.set(at + k, cards[2 * k]!, base);
      this.cardCode[at + k] = cards[2 * k + 1]!;
    }
    this.cardPoolUsed += n;
    this.cardsAt[row] = at;
    this.cardCount[row] = n;
  }

  private cardsOf(row: number, base: number): number[] | undefined {
    const n = this.cardCount[row]!;
    if (n === 0) return undefined;
    const at = this.cardsAt[row]!;
    const out: number[] = [];
    for (let k = at; k < at + n; k++) out.push(this.cardStart.get(k, base), this.cardCode[k]!);
    return out;
  }

  /** The rows holding pauses, for the pool to move them when it repacks. */
  private pausesInUse(): RowsWithPauses {
    return { rows: this.used, at: this.pausesAt, count: this.pauseCount };
  }

  /** Drop the cards of released rows from the pool (rows keep theirs, moved). */
  private repackCards(): void {
    const size = Math.max(1024, this.cardPoolUsed - this.cardSlack);
    const starts = new InstantColumn();
    starts.grow(size);
    const codes = new Uint16Array(size);
    let used = 0;
    for (let row = 0; row < this.used; row++) {
      const n = this.cardCount[row]!;
      if (n === 0) continue;
      const at = this.cardsAt[row]!;
      const base = this.acceptedAt.get(row);
      for (let k = 0; k < n; k++) {
        starts.set(used + k, this.cardStart.get(at + k, base), base);
        codes[used + k] = this.cardCode[at + k]!;
      }
      this.cardsAt[row] = used;
      used += n;
    }
    this.cardStart = starts;
    this.cardCode = codes;
    this.cardPoolUsed = used;
    this.cardSlack = 0;
  }
}
