/** Open and paused cases per center, kept incrementally for the scrape-time gauges. */
import type { CaseState } from '../domain/types.js';
import type { OpenCaseCount } from './types.js';

export class OpenCaseCounts {
  /** Center ids are interned by `evolve`, so lookups hash nothing new. */
  private readonly counts = new Map<string, { open: number; paused: number }>();

  /** Count `state` in (`delta` +1) or out (−1); states not open or paused are ignored. */
  count(state: CaseState, delta: number): void {
    const status = state.status;
    if (state.accepted === undefined || (status !== 'open' && status !== 'paused')) return;
    const center = state.accepted.centerId;
    let c = this.counts.get(center);
    if (c === undefined) this.counts.set(center, (c = { open: 0, paused: 0 }));
    c[status] += delta;
  }

  /** A state replaced by the next one: moves the count only when its status or acceptance changed. */
  move(before: CaseState, after: CaseState): void {
    if (before.status === after.status && before.accepted === after.accepted) return;
    this.count(before, -1);
    this.count(after, +1);
  }

  list(): OpenCaseCount[] {
    const out: OpenCaseCount[] = [];
    for (const [center, c] of this.counts) {
      if (c.open > 0) out.push({ center, status: 'open', count: c.open });
      if (c.paused > 0) out.push({ center, status: 'paused', count: c.paused });
    }
    return out;
  }
}
