/**
 * The "reason to change" tables against the tree (a day-one review): every file or folder a table
 * names exists, docs/architecture.md's table covers every source file (by its own row or its
 * folder's), the write side's table in docs/api.md every file of src/write/, and the EventStoreDB
 * adapter's in docs/event-store.md every file of src/store/esdb/.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/**
 * The paths named in the first cell of each row of the table whose header's second column is
 * "reason to change". A name starting with a top-level folder (`src/…`) is a path from the
 * repository's root and sets the folder the cell's next names lie in; any other name (`c.ts`,
 * `complaints/d.ts`, `../../scripts/e.ts`) lies in that folder, at first `base`.
 */
function namedPaths(markdown: string, base: string): string[] {
  const lines = markdown.split('\n');
  const header = lines.findIndex((l) => /^\| [^|]+ \| reason to change \|$/.test(l));
  expect(header, 'a "| … | reason to change |" table').toBeGreaterThanOrEqual(0);
  const paths: string[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cell = line.split(' | ')[0] ?? '';
    let folder = base;
    for (const [, name] of cell.matchAll(/`([^`]+)`/g)) {
      const fromRoot = TOP_LEVEL.some((top) => name!.startsWith(`${top}/`));
      const path = posix.normalize(fromRoot ? name! : posix.join(folder, name!));
      if (fromRoot) folder = name!.endsWith('/') ? name! : `${posix.dirname(name!)}/`;
      paths.push(path);
    }
  }
  return paths;
}

const TOP_LEVEL = readdirSync(ROOT).filter((f) => !f.startsWith('.') && statSync(join(ROOT, f)).isDirectory());

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .map((f) => posix.join(folder, f))
    .filter((f) => statSync(join(ROOT, f)).isFile() && !/\.test\.ts$/.test(f));
}

const tables = [
  { doc: 'docs/architecture.md', base: '' },
  { doc: 'docs/api.md', base: 'src/write/' },
  { doc: 'docs/projections.md', base: 'src/projections/' },
  { doc: 'docs/event-store.md', base: 'src/store/esdb/' },
] as const;

describe('the "reason to change" tables', () => {
  it.each(tables)('every path $doc names exists', ({ doc, base }) => {
    const paths = namedPaths(read(doc), base);
    expect(paths.length).toBeGreaterThanOrEqual(8);
    expect(paths.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });

  it('docs/architecture.md gives every source file a row, its own or its folder’s', () => {
    const named = namedPaths(read('docs/architecture.md'), '');
    const covered = (file: string) => named.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p));
    const files = sourceFiles('src');
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => !covered(f))).toEqual([]);
  });

  it.each([
    { doc: 'docs/api.md', folder: 'src/write/' },
    { doc: 'docs/event-store.md', folder: 'src/store/esdb/' },
  ])('$doc names every file of $folder', ({ doc, folder }) => {
    const named = new Set(namedPaths(read(doc), folder));
    expect(sourceFiles(folder).filter((f) => !named.has(f))).toEqual([]);
  });
});
