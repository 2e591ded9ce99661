/**
 * The header every page shows: the skip link, the brand, the navigation to
 * each page of WEB_PAGES that has a label (the current one marked), the case
 * lookup and sign-out (wired by js/nav.js). Each page's HTML holds
 * SITE_HEADER_SLOT where it goes; the router fills it once, at start.
 */
import { CASE_ID_DESCRIPTION, CASE_ID_PATTERN } from '../domain/lists.js';
import { WEB_PAGES, type WebPage } from './pages.js';

export const SITE_HEADER_SLOT = '<!-- site-header -->';

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function navLinks(current: WebPage): string {
  return WEB_PAGES.filter((p) => p.nav !== undefined)
    .map((p) => {
      const mark = p === current ? ' aria-current="page"' : '';
      const needs = p.needs === undefined ? '' : ` data-needs="${escapeHtml(p.needs)}"`;
      return `      <a href="${escapeHtml(p.path)}"${mark}${needs}>${escapeHtml(p.nav!)}</a>`;
    })
    .join('\n');
}

export function siteHeader(current: WebPage): string {
  return `<a class="skip" href="#main">跳到内容 Skip to content</a>
  <header class="site">
    <span class="brand">电子监察 e-supervision</span>
    <nav aria-label="主导航 Main">
${navLinks(current)}
      <form id="case-jump" role="search" aria-label="查案件 Find a case">
        <label class="sr-only" for="case-jump-id">案件编号 Case id</label>
        <input id="case-jump-id" name="caseId" placeholder="案件编号 case id" pattern="${escapeHtml(CASE_ID_PATTERN)}" title="案件编号：${escapeHtml(CASE_ID_DESCRIPTION)} Case id: ${escapeHtml(CASE_ID_DESCRIPTION)}" required>
        <button type="submit">查看 Open</button>
      </form>
      <button type="button" id="sign-out">退出 Sign out</button>
    </nav>
  </header>`;
}

/** The page's HTML with its header in the slot; throws naming the file when it has no slot, or more than one. */
export function withSiteHeader(html: string, page: WebPage): string {
  const at = html.indexOf(SITE_HEADER_SLOT);
  if (at < 0 || html.indexOf(SITE_HEADER_SLOT, at + 1) >= 0)
    throw new Error(`${page.file} must hold ${SITE_HEADER_SLOT} exactly once`);
  return html.slice(0, at) + siteHeader(page) + html.slice(at + SITE_HEADER_SLOT.length);
}
