import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { directoryOf, publishCenters } from '../../test/support/directory.js';
import { DirectoryBook } from '../projections/directoryEvents.js';
import { directoryCenterLabels, UNREGISTERED_CENTER } from './centerLabels.js';

describe('directoryCenterLabels', () => {
  // Operations review: before any publication the first 200 centerIds sent became label values
  // (a recorder's "张三-13800138000" was exported), and stayed once a directory was published.
  it('before any directory is published, every centerId is unregistered, however many were asked before', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 50 }), (ids) => {
        const label = directoryCenterLabels(new DirectoryBook());
        expect([...ids, ...ids].map(label).filter((l) => l !== UNREGISTERED_CENTER)).toEqual([]);
      }),
    );
    expect(directoryCenterLabels(new DirectoryBook())('张三-13800138000')).toBe(UNREGISTERED_CENTER);
  });

  it('once published, a directory center keeps its id and every other centerId is unregistered, as the book changes', () => {
    const book = directoryOf(['center-A', 'center-B']);
    const label = directoryCenterLabels(book);
    expect(['center-A', 'center-B', 'invented', '张三-13800138000'].map(label)).toEqual([
      'center-A',
      'center-B',
      UNREGISTERED_CENTER,
      UNREGISTERED_CENTER,
    ]);
    publishCenters(book, ['center-B']);
    expect(['center-A', 'center-B'].map(label)).toEqual([UNREGISTERED_CENTER, 'center-B']);
  });
});
