/**
 * Issue 14's table: each figure for the bare bot and for linkdex, their ratio, the target and
 * whether it is met. Plain data in, text or JSON out.
 */

export type Unit = 'MB' | 's' | 'ms';

/** `ratio`: linkdex ÷ bare bot at most `max`; `absolute`: linkdex's own figure at most `max` (in the row's unit). */
export type Target = { kind: 'ratio'; max: number; note?: string } | { kind: 'absolute'; max: number; note?: string };

export interface Row {
  catalog: string;
  figure: string;
  unit: Unit;
  /** null: not measured for that bot (the table shows –). */
  bare: number | null;
  linkdex: number | null;
  target: Target | null;
  /** Said after the figure, e.g. how linkdex was started when it was not the compiled build. */
  note?: string;
}

export interface CheckedRow extends Row {
  ratio: number | null;
  /** null when there is no target or a figure it needs is missing. */
  met: boolean | null;
}

function finite(n: number | null): n is number {
  return n !== null && Number.isFinite(n);
}

export function checkRow(row: Row): CheckedRow {
  const ratio = finite(row.bare) && finite(row.linkdex) && row.bare > 0 ? row.linkdex / row.bare : null;
  let met: boolean | null = null;
  if (row.target?.kind === 'ratio' && ratio !== null) met = ratio <= row.target.max;
  if (row.target?.kind === 'absolute' && finite(row.linkdex)) met = row.linkdex <= row.target.max;
  return { ...row, ratio, met };
}

/** Figures as the issue writes them: seconds and megabytes with few digits, small latencies with two decimals. */
export function formatValue(value: number | null, unit: Unit): string {
  if (!finite(value)) return '–';
  const digits = unit === 'MB' ? 0 : unit === 's' ? 2 : value < 10 ? 2 : 1;
  return `${value.toFixed(digits)} ${unit}`;
}

export function formatTarget(target: Target | null, unit: Unit): string {
  if (target === null) return '–';
  const limit = target.kind === 'ratio' ? `≤ ${target.max}×` : `≤ ${target.max} ${unit}`;
  return target.note ? `${limit} (${target.note})` : limit;
}

function metText(met: boolean | null): string {
  return met === null ? '–' : met ? 'yes' : 'NO';
}

/** A markdown table: catalog | figure | bare bot | linkdex | ratio | target | met?; notes as footnotes. */
export function formatTable(rows: readonly CheckedRow[]): string {
  const notes: string[] = [];
  const cells = rows.map((r) => {
    let figure = r.figure;
    if (r.note) {
      let n = notes.indexOf(r.note);
      if (n < 0) n = notes.push(r.note) - 1;
      figure += ` [${n + 1}]`;
    }
    return [
      r.catalog,
      figure,
      formatValue(r.bare, r.unit),
      formatValue(r.linkdex, r.unit),
      r.ratio === null ? '–' : `${r.ratio.toFixed(2)}×`,
      formatTarget(r.target, r.unit),
      metText(r.met),
    ];
  });
  const header = ['catalog', 'figure', 'bare bot', 'linkdex', 'ratio', 'target', 'met?'];
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => (row[c] ?? '').length)));
  const line = (row: readonly string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  const lines = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)];
  for (const [i, note] of notes.entries()) lines.push(`[${i + 1}] ${note}`);
  return lines.join('\n');
}
