/**
 * The value of the `center` metrics label (SPEC §7): only known centers get a
 * series of their own, every other centerId is counted under `unregistered`,
 * so no writer can grow the number of series without bound.
 *
 * Until the directory exists (a later issue), "known" means one of the first
 * `max` distinct centers this process has been asked about; the directory will
 * replace this function with a lookup (`directory.has(id) ? id : UNREGISTERED`).
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
