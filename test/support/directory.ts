/** A directory book with the given centers published, for unit tests of what reads it. */
import { DirectoryBook } from '../../src/projections/directoryEvents.js';

/** Publishes `centerIds` (the whole directory, as a `PUT /directory` would) as the book's next revision. */
export function publishCenters(book: DirectoryBook, centerIds: readonly string[]): DirectoryBook {
  book.add(BigInt(book.view().version), {
    publishedAt: '2025-09-22T10:00:00+08:00',
    centers: centerIds.map((centerId) => ({ centerId, name: centerId, level: 'district' })),
    departments: [],
  });
  return book;
}

export const directoryOf = (centerIds: readonly string[]): DirectoryBook =>
  publishCenters(new DirectoryBook(), centerIds);
