/**
 * The value of the `center` metrics label (SPEC §7): only known centers get a
 * series of their own, every other centerId is counted under `unregistered`,
 * so no writer can grow the number of series without bound.
 *
 * Once a directory is published, "known" means a center of the directory
 * (`directoryCenterLabels`); before any, one of the first `max` distinct
 * centers this process has been asked about.
 */

export const UNREGISTERED_CENTER = 'unregistered';
export const DEFAULT_MAX_CENTER_LABELS = 200;

/** Maps a centerId to its label value. */
export type CenterLabel = (centerId: string) => string;

export function firstSeenCenterLabels(max: number = DEFAULT_MAX_CENTER_LABELS): CenterLabel {
  if (!Number.isSafeInteger(max) || max < 0)
    throw new RangeError(`max center labels must be an integer ≥ 0; got ${max}`);
  const known = new Set<string>();
  return (centerId) => {
    if (known.has(centerId)) return centerId;
    if (known.size >= max) return UNREGISTERED_CENTER;
    known.add(centerId);
    return centerId;
  };
}

/**
 * Directory centers keep their id, every other centerId is `unregistered`;
 * before a directory is published, `beforeAny` decides (the first-seen bound).
 */
export function directoryCenterLabels(
  directory: { readonly published: boolean; readonly current: { center(centerId: string): unknown } },
  beforeAny: CenterLabel = firstSeenCenterLabels(),
): CenterLabel {
  return (centerId) => {
    if (!directory.published) return beforeAny(centerId);
    return directory.current.center(centerId) === undefined ? UNREGISTERED_CENTER : centerId;
  };
}
