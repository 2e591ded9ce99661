// The directory (GET /directory), read once per page: names beside ids
// (SPEC §4). An id the directory does not know is shown as it is, marked
// 未登记 (unregistered). Until the directory has loaded, or if it cannot be
// read, every id shows as itself.
import { apiJson } from './api.js';
import { el } from './format.js';

const EMPTY = { centers: [], departments: [] };
let centers = new Map();
let departments = new Map();
let loading = null;

/** Fetch the directory once; resolves with it (empty when it cannot be read, so pages still show ids). */
export function loadDirectory() {
  loading ??= apiJson('/directory').then(
    (d) => {
      centers = new Map(d.centers.map((c) => [c.centerId, c]));
      departments = new Map(d.departments.map((x) => [x.departmentId, x]));
      return d;
    },
    () => EMPTY,
  );
  return loading;
}

export const centerName = (id) => centers.get(id)?.name;
export const departmentName = (id) => departments.get(id)?.name;

/** `name (id)` for a directory id, the id alone otherwise (text for options, labels, CSV-like places). */
export function withName(name, id) {
  return name ? `${name} (${id})` : id;
}
export const centerText = (id) => withName(centerName(id), id);
export const departmentText = (id) => withName(departmentName(id), id);

/** A cell (or any element) showing the name with the id in its title; an unknown id marked 未登记. */
export function nameCell(tag, name, id, attrs = {}) {
  if (name) return el(tag, { ...attrs, title: id, dataset: { id } }, name);
  return el(
    tag,
    {
      ...attrs,
      title: '未登记：不在目录中 Not in the directory',
      // Keep the caller's classes (e.g. hide-narrow): replacing them showed hidden columns at phone width.
      class: [attrs.class, 'unregistered'].filter(Boolean).join(' '),
      dataset: { id },
    },
    id,
    el('span', { class: 'muted' }, '（未登记）'),
  );
}
export const centerCell = (id, tag = 'td', attrs = {}) => nameCell(tag, centerName(id), id, attrs);
export const departmentCell = (id, tag = 'td', attrs = {}) => nameCell(tag, departmentName(id), id, attrs);

const LEVEL_ORDER = ['city', 'district', 'street', 'community'];

/** The directory's centers as `<option>`s, by level then name (a picker instead of free text). */
export function centerOptions() {
  return [...centers.values()]
    .sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) || a.name.localeCompare(b.name, 'zh'))
    .map((c) => el('option', { value: c.centerId }, withName(c.name, c.centerId)));
}

/** The directory's departments as `<option>`s, by name. */
export function departmentOptions() {
  return [...departments.values()]
    .sort((a, b) => a.name.localeCompare(b.name, 'zh'))
    .map((d) => el('option', { value: d.departmentId }, withName(d.name, d.departmentId)));
}

/**
 * The center and department filters of a list (`#f-center`, `#f-department`) as pickers of the
 * directory's names: a `<select>` in the page gets them as options; a free-text id input becomes a
 * `<select>` (`全部 All` first) when the directory has any, and stays, so an id can still be typed,
 * when none is published. Call before the form is filled from the address.
 */
export async function directoryPickers() {
  await loadDirectory();
  for (const [id, choices] of [
    ['f-center', centerOptions()],
    ['f-department', departmentOptions()],
  ]) {
    const field = document.getElementById(id);
    if (field?.tagName === 'SELECT') field.append(...choices);
    else if (field && choices.length > 0)
      field.replaceWith(el('select', { id, name: field.name }, el('option', { value: '' }, '全部 All'), ...choices));
  }
}
