/**
 * The binary codec of the rows section of a snapshot (issue 18 goal 3: a
 * checkpointed read model). The case table exports its parts as a plain tree
 * (`Parts`): typed arrays (the columns, pools, ids) and a few JS values
 * (acceptance profiles, extras, comments, pause ids and notes, wide ids).
 * Here that tree becomes one JSON line, in which every typed array is a
 * placeholder `{"$col":[index,type,length]}`, followed by the arrays' raw
 * bytes in index order; reading puts the bytes straight into new typed arrays
 * (no JSON per row). What the parts mean is the table's business
 * (caseTable.ts, completedCases.ts, caseIds.ts): a column added there needs
 * no change here.
 *
 * Numbers JSON cannot carry (NaN, ±Infinity, −0) are written as
 * `{"$n":"NaN"}` so that every value reads back `Object.is`-equal. Byte order
 * is the machine's (little-endian on every platform Node supports); the header
 * names it and a reader of the other order refuses the file.
 */

export type TypedColumn = Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Uint8Array;

/** A tree of typed arrays and JSON values (what a table exports). */
export type Parts = TypedColumn | string | number | boolean | null | readonly Parts[] | { readonly [k: string]: Parts };

const TYPES = { Float64Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Uint8Array } as const;
type TypeName = keyof typeof TYPES;

export const BYTE_ORDER: 'LE' | 'BE' = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'LE' : 'BE';

/** The rows section's JSON line and the arrays whose bytes follow it, in order. */
export interface EncodedParts {
  readonly json: string;
  readonly columns: readonly TypedColumn[];
  /** Total bytes of the columns. */
  readonly binaryBytes: number;
}

function typeNameOf(v: unknown): TypeName | undefined {
  if (!ArrayBuffer.isView(v)) return undefined;
  const name = v.constructor.name;
  return name in TYPES ? (name as TypeName) : undefined;
}

const oddNumber = (v: number): boolean => !Number.isFinite(v) || Object.is(v, -0);

export function encodeParts(parts: Parts): EncodedParts {
  const columns: TypedColumn[] = [];
  let binaryBytes = 0;
  const json = JSON.stringify(parts, function replacer(this: unknown, key: string, value: unknown) {
    // `value` is after toJSON: a typed array is still itself (it has none).
    if (typeof value === 'number')
      return oddNumber(value) ? { $n: Object.is(value, -0) ? '-0' : String(value) } : value;
    if (ArrayBuffer.isView(value)) {
      const type = typeNameOf(value);
      if (type === undefined) throw new TypeError(`snapshot rows: ${key} is a ${value.constructor.name}, not a column`);
      const column = value as TypedColumn;
      columns.push(column);
      binaryBytes += column.byteLength;
      return { $col: [columns.length - 1, type, column.length] };
    }
    return value;
  });
  return { json, columns, binaryBytes };
}

/** A column the JSON line announces: where its bytes go. */
export interface ColumnSlot {
  readonly index: number;
  readonly array: TypedColumn;
}

/**
 * Parse the rows section's JSON line: the tree with every placeholder replaced
 * by a new, zero-filled typed array of its type and length (in `slots`, in
 * index order: the caller fills them from the bytes that follow). Throws
 * RangeError naming what is wrong.
 */
export function decodeParts(json: string, maxBinaryBytes: number): { parts: Parts; slots: ColumnSlot[] } {
  const slots: ColumnSlot[] = [];
  let bytes = 0;
  const column = (o: Record<string, unknown>): TypedColumn => {
    const d = o['$col'];
    if (!Array.isArray(d) || d.length !== 3 || Object.keys(o).length !== 1)
      throw new RangeError(`rows: ${JSON.stringify(o)} is not a column`);
    const [index, type, length] = d as [unknown, unknown, unknown];
    if (index !== slots.length) throw new RangeError(`rows: column ${String(index)} out of order`);
    if (typeof type !== 'string' || !(type in TYPES))
      throw new RangeError(`rows: ${String(type)} is not a column type`);
    if (!Number.isSafeInteger(length) || (length as number) < 0)
      throw new RangeError(`rows: column ${index} has length ${String(length)}`);
    const Ctor = TYPES[type as TypeName];
    bytes += (length as number) * Ctor.BYTES_PER_ELEMENT;
    // Before allocating: a length the file's binary part cannot hold is refused, not allocated.
    if (bytes > maxBinaryBytes) throw new RangeError(`rows: columns longer than the ${maxBinaryBytes} bytes announced`);
    const array = new Ctor(length as number);
    slots.push({ index, array });
    return array;
  };
  // A walk after a plain JSON.parse, not a reviver: a reviver is called for every string and number
  // of the rows' lists (≈ 3× the parse); the walk only looks into objects and arrays.
  const substitute = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === 'object' && item !== null) value[i] = substitute(item);
      }
      return value;
    }
    const o = value as Record<string, unknown>;
    if ('$n' in o) {
      const n = Number(o['$n']);
      if (Object.keys(o).length !== 1 || typeof o['$n'] !== 'string' || !oddNumber(n))
        throw new RangeError(`rows: ${JSON.stringify(o)} is not a number`);
      return n;
    }
    if ('$col' in o) return column(o);
    for (const k of Object.keys(o)) {
      const item = o[k];
      if (typeof item === 'object' && item !== null) o[k] = substitute(item);
    }
    return o;
  };
  const parts = substitute(JSON.parse(json)) as Parts;
  if (bytes !== maxBinaryBytes)
    throw new RangeError(`rows: columns of ${bytes} bytes, the header announces ${maxBinaryBytes}`);
  return { parts, slots };
}

/** The bytes of a typed array (a view on its memory, not a copy). */
export const bytesOf = (a: TypedColumn): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

// ── Reading parts back, for the tables' `fromParts` ─────────────────────────

/** The value at `name` of an object part; RangeError when `parts` is not an object. */
export function field(parts: Parts | undefined, name: string): Parts | undefined {
  if (typeof parts !== 'object' || parts === null || Array.isArray(parts) || ArrayBuffer.isView(parts))
    throw new RangeError(`rows: not an object where ${name} was expected`);
  return (parts as { readonly [k: string]: Parts })[name];
}

/** `parts[name]` as a typed array of the same type as `like` (and of `length` when given). */
export function columnOf<T extends TypedColumn>(parts: Parts | undefined, name: string, like: T, length?: number): T {
  const v = field(parts, name);
  if (!ArrayBuffer.isView(v) || v.constructor !== like.constructor)
    throw new RangeError(`rows: ${name} is not a ${like.constructor.name}`);
  if (length !== undefined && (v as T).length !== length)
    throw new RangeError(`rows: ${name} has ${(v as T).length} values, expected ${length}`);
  return v as T;
}

/** `parts[name]` as a non-negative safe integer. */
export function countOf(parts: Parts | undefined, name: string): number {
  const v = field(parts, name);
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new RangeError(`rows: ${name} is not a count`);
  return v;
}

/** `parts[name]` as an array (its items checked by the caller). */
export function listOf(parts: Parts | undefined, name: string): readonly Parts[] {
  const v = field(parts, name);
  if (!Array.isArray(v)) throw new RangeError(`rows: ${name} is not a list`);
  return v as readonly Parts[];
}

/**
 * The typed-array fields `names` of `owner`, each cut to `length` and copied:
 * a table lists its columns once, and both directions use that list.
 */
export function exportColumns(owner: object, names: readonly string[], length: number): Record<string, TypedColumn> {
  const fields = owner as Record<string, TypedColumn>;
  const out: Record<string, TypedColumn> = {};
  for (const name of names) out[name] = fields[name]!.slice(0, length);
  return out;
}

/**
 * Set the typed-array fields `names` of `owner` from `parts`, each of `length`
 * values and of the type the field has now (its declaration says it; a column
 * retyped there needs no change here).
 */
export function importColumns(owner: object, parts: Parts | undefined, names: readonly string[], length: number): void {
  const fields = owner as Record<string, TypedColumn>;
  for (const name of names) fields[name] = columnOf(parts, name, fields[name]!, length);
}

/**
 * The shape of a parts tree: its keys (sorted), the type of each typed array
 * and of each value, lists by their first item's shape. Two trees exported by
 * the same code have the same layout whatever they hold; a part renamed,
 * added, removed or retyped changes it.
 */
export function layoutOf(parts: Parts | undefined): string {
  if (parts === undefined || parts === null) return 'null';
  if (ArrayBuffer.isView(parts)) return parts.constructor.name;
  if (Array.isArray(parts)) return '[]';
  if (typeof parts !== 'object') return typeof parts;
  const o = parts as { readonly [k: string]: Parts };
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${k}:${layoutOf(o[k])}`)
    .join(',')}}`;
}
