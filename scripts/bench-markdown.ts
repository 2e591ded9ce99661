/**
 * The README's benchmark table from a run's results: `npx tsx scripts/bench-markdown.ts [bench/results.json]`
 * prints one Markdown row per figure (area, figure, value, baseline of the same run, ratio, target, met),
 * so the README shows a run's rows as the run wrote them, not copied by hand.
 */
import { readFileSync } from 'node:fs';
import type { BenchRow } from '../bench/types.js';
import { fmt } from './benchFormat.js';

interface Results {
  readonly date: string;
  readonly mode: string;
  readonly seconds: number;
  readonly machine: { readonly cpu: string; readonly cores: number; readonly memoryGiB: number; readonly node: string };
  readonly rows: readonly (BenchRow & { readonly area: string; readonly crashed?: boolean })[];
}

const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

const file = process.argv[2] ?? 'bench/results.json';
const results = JSON.parse(readFileSync(file, 'utf8')) as Results;
const m = results.machine;
const out = [
  `${results.mode} run, ${results.date}, ${results.seconds} s; ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; ${results.rows.length} rows.`,
  '',
  '| area | figure | value | baseline (same run) | ratio | target | met |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...results.rows
    .map((r) =>
      [
        r.area,
        r.name,
        r.crashed === true ? 'CRASHED' : `${fmt(r.value)} ${r.unit}`.trim(),
        r.baseline === undefined ? '—' : `${r.baselineName ?? ''} ${fmt(r.baseline)}`.trim(),
        r.ratio === undefined ? '—' : `${fmt(r.ratio)}×`,
        r.target ?? '—',
        r.crashed === true ? 'crashed' : r.pass === undefined ? '—' : r.pass ? 'yes' : '**no**',
      ]
        .map((c) => cell(String(c)))
        .join(' | '),
    )
    .map((row) => `| ${row} |`),
];
process.stdout.write(`${out.join('\n')}\n`);
