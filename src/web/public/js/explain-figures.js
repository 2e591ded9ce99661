// A card's explanation as one line of figures: scalar fields as they are, day lists by their length
// (the same reading as the register's CSV column, src/projections/cardRegister.ts explainFigures).
const SKIP = new Set(['rule', 'calendarVersion', 'policyVersion', 'asOf']);

export function explainFigures(explain) {
  if (typeof explain !== 'object' || explain === null) return '';
  const parts = [];
  for (const [key, value] of Object.entries(explain)) {
    if (SKIP.has(key)) continue;
    if (Array.isArray(value)) parts.push(`${key}=${value.length}`);
    else if (value === null || typeof value !== 'object') parts.push(`${key}=${value}`);
  }
  return parts.join('; ');
}
