export * from './lists.js';
export * from './events.js';
export * from './evolve.js';
export * from './decide.js';
export * from './timeline.js';
export * from './streams.js';
