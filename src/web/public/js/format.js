// Dates, instants and numbers as the efficiency office reads them, in the deployment zone.

let zone = 'Asia/Shanghai';
let configLoaded = null;

/** Loads `/assets/config.json` (the deployment zone) once. */
export function loadConfig() {
  configLoaded ??= fetch('/assets/config.json')
    .then((r) => (r.ok ? r.json() : {}))
    .then((c) => {
      if (typeof c.zone === 'string') zone = c.zone;
    })
    .catch(() => {});
  return configLoaded;
}

export const getZone = () => zone;

const partsFormatter = new Map();
function partsOf(ms) {
  let f = partsFormatter.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    partsFormatter.set(zone, f);
  }
  const out = {};
  for (const p of f.formatToParts(new Date(ms))) out[p.type] = p.value;
  return out;
}

/** Offset of the zone at an instant, e.g. "+08:00". */
export function offsetAt(ms) {
  const name = partsOf(ms).timeZoneName ?? 'GMT';
  const m = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return m ? `${m[1]}:${m[2] ?? '00'}` : '+00:00';
}

/** Local date `YYYY-MM-DD` in the zone. */
export function localDate(ms) {
  const p = partsOf(ms);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Value for <input type="datetime-local">: `YYYY-MM-DDTHH:mm` (`:ss` with `seconds`) in the zone. */
export function localDateTimeInput(ms, { seconds = false } = {}) {
  const p = partsOf(ms);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}

/** ISO instant with the zone's offset for a datetime-local value, or null when invalid. */
export function instantFromLocalInput(value) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const withSeconds = value.length === 16 ? `${value}:00` : value;
  // The offset at a guess close to the target; re-check once for zones with DST.
  let offset = offsetAt(Date.parse(`${withSeconds}Z`));
  const first = Date.parse(`${withSeconds}${offset}`);
  offset = offsetAt(first);
  const iso = `${withSeconds}${offset}`;
  return Number.isFinite(Date.parse(iso)) ? iso : null;
}

/**
 * The instant a datetime-local input asks for: `shown` itself, milliseconds and all, while the input
 * still holds the instant the page put there (cut to the input's `unitMs`, a second or a minute), else
 * the input's own instant (null when invalid). Compared as instants, not as texts: Chromium writes a
 * value whose seconds are :00 without them (an "as known at" of 10:00:00.535 read back as 10:00, and
 * its last second's events dropped, session 26).
 */
export function instantFromInputKeeping(value, shown, unitMs) {
  const instant = instantFromLocalInput(value);
  if (instant === null || !shown) return instant;
  const shownMs = Date.parse(shown);
  return Date.parse(instant) === Math.floor(shownMs / unitMs) * unitMs ? shown : instant;
}

/** ISO instant (with the zone offset) of an epoch-ms value; milliseconds only when there are any. */
export function isoInZone(ms) {
  const p = partsOf(ms);
  const frac = ((ms % 1000) + 1000) % 1000;
  const millis = frac === 0 ? '' : `.${String(frac).padStart(3, '0')}`;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${millis}${offsetAt(ms)}`;
}

/** Whether a string is an ISO instant (an explanation's value to show with fmtInstant). */
export const isIsoInstant = (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s);

/** "2024-02-23 00:00" in the zone for any ISO instant; "—" for none. */
export function fmtInstant(iso) {
  if (iso === null || iso === undefined || iso === '') return '—';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return String(iso);
  const p = partsOf(ms);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Adds n days to a `YYYY-MM-DD` date (calendar days, no zone involved). */
export function addDays(date, n) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A rate in percent to two decimals at most, the number fmtRate prints: 0.98953 → 98.95, 0.99 → 99. */
export const ratePercent = (x) => Number((Math.round(x * 10_000) / 100).toFixed(2));

/** A rate as the monthly report's paragraph writes it (percentText in src/projections/summary.ts): "98.95%", "100%". */
export function fmtRate(x) {
  return typeof x === 'number' && Number.isFinite(x) ? `${ratePercent(x)}%` : '—';
}

export function fmtNumber(x, digits = 0) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '—';
  return digits === 0 && Number.isInteger(x) ? x.toLocaleString('zh-CN') : x.toFixed(digits || 2);
}

export function fmtKpi(value, kind) {
  if (kind === 'rate') return fmtRate(value);
  if (kind === 'days') return fmtNumber(value, 2);
  return fmtNumber(value);
}

/** Create an element: el('td', {class: 'x', dataset: {k: 'v'}}, 'text', child…). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/**
 * `text` as nodes for el() or replaceChildren(), each month, date or date and time in it (2026-11,
 * 2026-11-30, 2026-11-30 09:00) in a span.date that never breaks inside (app.css): a printed header
 * read "2026-" over "11", the card register's figures "2025-10-" over "08".
 */
export function withWholeDates(text) {
  // split() with a capturing group: the dates are the odd parts.
  return String(text)
    .split(/(\d{4}-\d{2}(?:-\d{2}(?: \d{2}:\d{2})?)?)/)
    .map((part, i) => (i % 2 === 1 ? el('span', { class: 'date' }, part) : part))
    .filter((part) => part !== '');
}
