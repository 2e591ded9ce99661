import type { EpochMs } from './types.js';

/**
 * A card is shown from its start instant on, at it included: the one boundary the board, the card
 * register, the stream and the register of withdrawn cards share (a red card that starts at the
 * very millisecond of a write was shown, and is withdrawn if the write removes it).
 */
export const hasStarted = (card: { readonly start: EpochMs }, at: EpochMs): boolean => card.start <= at;
