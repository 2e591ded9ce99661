// Shared by the case list, the card register and the complaint list: the filter form ⇄ the address,
// cursor paging (next / previous / first), the total, and the CSV download.
import { apiBlob, apiJson } from './api.js';
import { el, fmtInstant, fmtNumber } from './format.js';
import { showForbiddenNotice } from './nav.js';

/**
 * The form is reset before it is filled from the address: a page's defaults are its fields' default
 * values (the HTML's, or `defaultValue`), not values set before the call.
 * @param {object} o
 * @param {string} o.api        API path (/cases or /cards)
 * @param {string[]} o.params   the parameters the API knows (others in the address are ignored)
 * @param {(body: object) => Node[]} o.rows  table rows of one page
 * @param {(q: URLSearchParams) => string} [o.csvName]  file name of the CSV download (pages with a #csv button)
 * @param {(q: URLSearchParams) => string|undefined} [o.check]  a message when the query cannot be sent yet
 * @param {string | ((q: URLSearchParams) => string)} [o.listedNote]  what the list reads at its listing instant
 *   (lists that answer listedAt), or a function of the listing's query
 * @param {Record<string, string>} [o.addressParams]  kept first in the page's address and never sent to the API
 *   (the card register's `view=withdrawn`: which list the page shows)
 */
export function listPage(o) {
  const $ = (id) => document.getElementById(id);
  const form = $('filters');
  const cursors = []; // cursors of the pages before the current one (for "previous")
  let current; // cursor of the current page (undefined: first page)
  let next;
  // The listing instant of the case and complaint lists (every page answers it as listedAt; cursors carry
  // it): going back to the first page asks for it again, so page 1 shows what it first showed.
  let listedAt;
  // The filters of the rows shown (the form's query when they were read): the CSV of the same filters
  // is read at the listing's instant too, so the download holds the listing on screen.
  let shownQuery;
  // The filters of the listing being paged (the form's query when it was submitted): Next, Previous and
  // First page this listing, whatever was changed in the form since without pressing Show.
  let listingQuery = '';

  const query = () => {
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) {
      if (!o.params.includes(k)) continue;
      if (String(v) !== '') q.set(k, String(v));
      // A choice whose empty value means "none" (the complaint list's answeredBy=: answered with no department
      // in charge), not "all": kept as the empty filter the API reads.
      else if (form.elements.namedItem(k)?.selectedOptions?.[0]?.dataset.none !== undefined) q.set(k, '');
    }
    // 含下级中心 says what the center filter covers: with no center chosen there is nothing to widen (the API refuses it).
    if (!q.has('centerId')) q.delete('scope');
    return q;
  };

  // The filters of `q` into the form; the names whose value the form refused (an impossible date).
  const fillForm = (q) => {
    const refused = [];
    for (const name of o.params) {
      const field = form.elements.namedItem(name);
      if (!field || q.get(name) === null) continue;
      if (field.type === 'checkbox') {
        // A choice (含下级中心 = scope=subtree): ticked for its value, clear for the API's other one (scope=center).
        field.checked = q.get(name) === field.value;
        if (!field.checked && !(name === 'scope' && q.get(name) === 'center')) refused.push(`${name}=${q.get(name)}`);
        continue;
      }
      const none = field.tagName === 'SELECT' ? [...field.options].findIndex((x) => x.dataset.none !== undefined) : -1;
      if (q.get(name) === '' && none >= 0) {
        field.selectedIndex = none;
        continue;
      }
      if (field.tagName === 'SELECT' && ![...field.options].some((x) => x.value === q.get(name)))
        field.append(el('option', { value: q.get(name) }, q.get(name)));
      field.value = q.get(name);
      if (field.value !== q.get(name)) refused.push(`${name}=${q.get(name)}`);
    }
    return refused;
  };

  // Nothing read for these filters (refused, or the read failed): no rows, total or next page of another query.
  const showNoRows = () => {
    next = undefined;
    shownQuery = undefined;
    $('rows').tBodies[0].replaceChildren();
    const total = $('total');
    total.textContent = '–';
    total.dataset.total = '';
    $('status').textContent = '';
    $('next').disabled = true;
    $('prev').disabled = cursors.length === 0;
    $('first').disabled = cursors.length === 0;
  };

  // Where the listing is, kept with the history entry: Back to this address shows the same page of the
  // same listing (its address holds only the filters).
  const addressOnly = new URLSearchParams(o.addressParams ?? {}).toString();
  const remember = () => {
    const address = [addressOnly, listingQuery].filter(Boolean).join('&');
    history.replaceState(
      { listing: { query: listingQuery, cursors: [...cursors], current, listedAt } },
      '',
      address ? `${location.pathname}?${address}` : location.pathname,
    );
  };

  async function load() {
    const q = new URLSearchParams(listingQuery);
    remember();
    const problem = o.check?.(q);
    $('error').textContent = problem ?? '';
    if (problem) {
      showNoRows();
      return;
    }
    const filters = q.toString();
    // Only paging and order asked: an empty answer means nothing is recorded, not that the filters excluded it.
    const filtered = [...q.keys()].some((k) => k !== 'limit' && k !== 'sort');
    if (current !== undefined) q.set('cursor', current);
    else if (listedAt !== undefined) q.set('listedAt', listedAt);
    $('status').textContent = '加载中 Loading…';
    try {
      const body = await apiJson(`${o.api}?${q}`);
      next = body.nextCursor;
      listedAt = body.listedAt;
      remember();
      shownQuery = filters;
      const total = $('total');
      total.textContent = fmtNumber(body.total);
      total.dataset.total = String(body.total);
      const page = cursors.length;
      const from = page * Number(q.get('limit') ?? body.limit) + (body.items.length ? 1 : 0);
      // Every page reads what moves with the clock at the instant the first page was read.
      const note = typeof o.listedNote === 'function' ? o.listedNote(q) : (o.listedNote ?? '');
      const listed = body.listedAt
        ? ` · 列表时点 ${fmtInstant(body.listedAt)}${note} Listed at ${fmtInstant(body.listedAt)}`
        : '';
      $('status').textContent = body.items.length
        ? `第 ${fmtNumber(from)}–${fmtNumber(from + body.items.length - 1)} 条，共 ${fmtNumber(body.total)} 条 Rows ${from}–${from + body.items.length - 1} of ${body.total}${listed}`
        : filtered
          ? '没有符合条件的记录 Nothing matches these filters'
          : '尚无记录 Nothing recorded yet';
      $('status').dataset.listedAt = body.listedAt ?? '';
      const rows = o.rows(body);
      $('rows').tBodies[0].replaceChildren(...rows);
      $('next').disabled = next === undefined;
      $('prev').disabled = cursors.length === 0;
      $('first').disabled = cursors.length === 0;
    } catch (e) {
      showNoRows();
      // A role that may not read this list: the page says so behind the notice, as the board does.
      if (e.status === 403) showForbiddenNotice(e.message);
      else $('error').textContent = e.message;
    }
  }

  // Back to the first page of the same listing ("first", and "previous" from page 2).
  const firstPage = () => {
    cursors.length = 0;
    current = undefined;
    return load();
  };
  // A new listing (the filters submitted): read now.
  const restart = () => {
    listedAt = undefined;
    listingQuery = query().toString();
    void firstPage();
  };
  // Paging with filters changed but not submitted: the form shows the listing's filters again.
  const formToListing = () => {
    if (query().toString() === listingQuery) return;
    form.reset();
    fillForm(new URLSearchParams(listingQuery));
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    restart();
  });
  // A paging button that the page read disables (Next on the last page) would drop the keyboard's focus
  // to the page itself: it moves to the paging button still enabled.
  const keepFocus = (button) => {
    const focused = document.activeElement;
    if (!button.disabled || (focused !== button && focused !== document.body && focused !== null)) return;
    ['next', 'prev', 'first']
      .map($)
      .find((b) => !b.disabled)
      ?.focus();
  };
  $('next').addEventListener('click', async () => {
    if (next === undefined) return;
    formToListing();
    cursors.push(current);
    current = next;
    await load();
    keepFocus($('next'));
  });
  $('prev').addEventListener('click', async () => {
    if (cursors.length === 0) return;
    formToListing();
    current = cursors.pop();
    await load();
    keepFocus($('prev'));
  });
  $('first').addEventListener('click', async () => {
    formToListing();
    await firstPage();
    keepFocus($('first'));
  });
  $('csv')?.addEventListener('click', async () => {
    // The rows on screen: the listing's filters, not ones changed in the form without pressing Show.
    const q = new URLSearchParams(listingQuery);
    if (listedAt !== undefined && q.toString() === shownQuery) q.set('listedAt', listedAt);
    q.delete('limit'); // the CSV takes up to 10,000 rows at once
    try {
      const blob = await apiBlob(`${o.api}?${q}`, 'text/csv');
      const a = el('a', { href: URL.createObjectURL(blob), download: o.csvName(q) });
      document.body.append(a);
      a.click();
      a.remove();
    } catch (e) {
      $('error').textContent = e.message;
    }
  });

  // Back to this page: the browser may put back values typed but never submitted; the address is the listing.
  form.reset();
  const refused = fillForm(new URLSearchParams(location.search));
  listingQuery = query().toString();
  const saved = history.state?.listing;
  if (saved?.query === listingQuery) {
    cursors.push(...saved.cursors);
    current = saved.current;
    listedAt = saved.listedAt;
  }
  void load().then(() => {
    // A filter of the address the form cannot hold is left out of the list: say which, not nothing.
    if (refused.length > 0 && $('error').textContent === '')
      $('error').textContent = `地址中的条件无效，已忽略 Not valid in the address, left out: ${refused.join(', ')}`;
  });
}
