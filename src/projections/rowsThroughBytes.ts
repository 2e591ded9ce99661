/**
 * For tests: the case table's parts through the rows codec's bytes and back,
 * in memory, as a snapshot file lays them out (snapshotRows.ts). Not a test
 * file itself; imported by *.test.ts only.
 */
import { bytesOf, decodeParts, encodeParts, type Parts } from './snapshotRows.js';

export function throughBytes(parts: Parts): Parts {
  const encoded = encodeParts(parts);
  const binary = new Uint8Array(encoded.binaryBytes);
  let at = 0;
  for (const column of encoded.columns) {
    binary.set(bytesOf(column), at);
    at += column.byteLength;
  }
  const decoded = decodeParts(encoded.json, encoded.binaryBytes);
  at = 0;
  for (const { array } of decoded.slots) {
    const target = bytesOf(array);
    target.set(binary.subarray(at, at + target.length));
    at += target.length;
  }
  return decoded.parts;
}
