/**
 * A number spread evenly over [min, max] (to a millionth of the range), for a property test's
 * "where in the history" draws. fast-check's `fc.double` draws evenly over the floats' bit patterns,
 * and half of all floats lie between 0 and 2⁻¹⁰²²: over [0, 1] it gave 9 draws in 2,000 between
 * 0.05 and 0.95, so an instant drawn as "first + fraction × span" was almost always the first.
 */
import fc from 'fast-check';

const STEPS = 1_000_000;

export function fraction(
  options: { readonly min?: number; readonly max?: number; readonly maxExcluded?: boolean } = {},
): fc.Arbitrary<number> {
  const { min = 0, max = 1, maxExcluded = false } = options;
  return fc.integer({ min: 0, max: maxExcluded ? STEPS - 1 : STEPS }).map((n) => min + ((max - min) * n) / STEPS);
}
