/** How a benchmark figure is printed: in the console table (scripts/bench.ts) and in the README's (scripts/bench-markdown.ts). */
export const fmt = (n: number | undefined): string => {
  if (n === undefined || !Number.isFinite(n)) return '';
  const abs = Math.abs(n);
  if (abs >= 1000) return Math.round(n).toLocaleString('en');
  if (abs >= 10) return n.toFixed(1);
  return n.toPrecision(3);
};
