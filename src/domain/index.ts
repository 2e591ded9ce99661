/** Public API of the timing core. */
export * from './types.js';
export * from './events.js';
export * from './time.js';
export { zoneClock, isValidZone } from './zone.js';
export type { ZoneClock } from './zone.js';
export * from './calendar/index.js';
export * from './policy.js';
