/**
 * The web pages: one list of what is served where, and which of them the
 * header's navigation links to (in this order, on every page).
 */
export interface WebPage {
  /** The express path the page is served on. */
  readonly path: string;
  /** Its HTML file in ./public. */
  readonly file: string;
  /**
   * The path is also a JSON API route: the page is served only to a browser
   * navigation (Accept prefers text/html), anything else falls through to the API.
   */
  readonly sharedWithApi: boolean;
  /** The navigation link's label (Chinese, then English); none for a page reached from others (one case). */
  readonly nav?: string;
  /**
   * The permission the page's content needs (the API it reads): its navigation link is shown only to a
   * token whose role holds it (`GET /session`, js/nav.js); another token opening it is told so.
   */
  readonly needs?: Permission;
}

import type { Permission } from '../api/auth.js';

export const WEB_PAGES: readonly WebPage[] = [
  { path: '/', file: 'board.html', sharedWithApi: false, nav: '告警看板 Alerts', needs: 'alerts:read' },
  { path: '/cases', file: 'cases.html', sharedWithApi: true, nav: '案件列表 Cases', needs: 'case:read' },
  { path: '/cards', file: 'cards.html', sharedWithApi: true, nav: '红黄牌登记 Cards', needs: 'case:read' },
  { path: '/reports', file: 'reports.html', sharedWithApi: false, nav: '月度报表 Monthly report', needs: 'stats:read' },
  { path: '/complaints', file: 'complaints.html', sharedWithApi: true, nav: '效能投诉 Complaints', needs: 'case:read' },
  { path: '/calendar', file: 'calendar.html', sharedWithApi: false, nav: '工作日历 Calendar', needs: 'calendar:read' },
  {
    path: '/directory',
    file: 'directory.html',
    sharedWithApi: true,
    nav: '机构目录 Directory',
    needs: 'directory:read',
  },
  { path: '/policies', file: 'policies.html', sharedWithApi: true, nav: '规则版本 Policies', needs: 'policy:read' },
  { path: '/cases/:caseId', file: 'case.html', sharedWithApi: true, needs: 'case:read' },
];

/** What a browser navigation to an address with no page and no API route gets (404), with the same header. */
export const NOT_FOUND_PAGE: WebPage = { path: '', file: 'not-found.html', sharedWithApi: false };
