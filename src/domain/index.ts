/** Public API of the timing core. */
export * from './types.js';
export * from './events.js';
export * from './time.js';
export { zoneClock, isValidZone } from './zone.js';
export type { ZoneClock } from './zone.js';
export * from './calendar/index.js';
export * from './policy.js';
export * from './decide.js';
export { evolve, initialCaseState, foldEvents } from './evolve.js';
export type { EvolveOptions } from './evolve.js';
export { intern } from './intern.js';
export { evaluate, nextBoundary, stateAsOf } from './evaluate.js';
export type { EvaluateOptions } from './evaluate.js';
export { explainCard } from './explain.js';
export type { CardRef } from './explain.js';
export { timelineOf, allowanceOf, nextChangeOf, retroactivePauseIds, lateRecordDetails } from './timeline.js';
export type { Timeline, RawCard, PauseFacts, EscalationFacts } from './timeline.js';
