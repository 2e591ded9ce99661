/**
 * The value of the `center` metrics label (SPEC §7): a center of the published
 * directory keeps its id; every other centerId, and every centerId before any
 * directory is published, is counted under `unregistered`. So a writer never
 * chooses a label value (an invented id, or personal data typed as a centerId)
 * nor grows the number of series.
 */

export const UNREGISTERED_CENTER = 'unregistered';

/** Maps a centerId to its label value. */
export type CenterLabel = (centerId: string) => string;

/** What the label needs of the directory (a `DirectoryBook`): its centers, and word when they change. */
export interface CenterDirectory {
  readonly published: boolean;
  readonly current: { center(centerId: string): unknown };
  onChange(listener: () => void): unknown;
}

/** No directory to consult: every center is `unregistered`. */
export const noDirectoryCenterLabels: CenterLabel = () => UNREGISTERED_CENTER;

/** Directory centers keep their id, every other centerId is `unregistered` (all of them before a publication). */
export function directoryCenterLabels(directory: Omit<CenterDirectory, 'onChange'>): CenterLabel {
  return (centerId) =>
    directory.published && directory.current.center(centerId) !== undefined ? centerId : UNREGISTERED_CENTER;
}
