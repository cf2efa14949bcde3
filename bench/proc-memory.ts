/**
 * The memory a container would count for a process: the PSS (proportional set size: pages shared
 * with other processes counted by their share) of the process and of every process below it,
 * read from /proc. `procRoot` is a parameter so a test can give a folder shaped like /proc.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const MB = 1_000_000;

export interface TreeMemory {
  /** The process and its descendants that were alive and readable. */
  pids: number[];
  /** Sums over those processes, in MB (10^6 bytes). */
  pssMB: number;
  rssMB: number;
}

/** The parent pid in a `/proc/<pid>/stat` line; the command name in parentheses may hold spaces and parentheses. */
export function parentPidOf(stat: string): number | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  // After the name: state, then ppid.
  const ppid = Number(stat.slice(close + 2).split(' ')[1]);
  return Number.isInteger(ppid) ? ppid : null;
}

/** `pid` and every process whose chain of parents reaches it, `pid` first. */
export function processTree(procRoot: string, pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync(procRoot)) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(path.join(procRoot, name, 'stat'), 'utf8');
    } catch {
      continue; // Exited meanwhile.
    }
    const ppid = parentPidOf(stat);
    if (ppid === null) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const tree: number[] = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (tree.includes(next)) continue;
    tree.push(next);
    queue.push(...(children.get(next) ?? []).sort((a, b) => a - b));
  }
  return tree;
}

/** A `Field:   123 kB` line of smaps_rollup, in kB; null when absent. */
function kB(text: string, field: string): number | null {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** PSS and RSS summed over `pid`'s process tree, from each process's smaps_rollup. */
export function treeMemory(procRoot: string, pid: number): TreeMemory {
  const pids: number[] = [];
  let pss = 0;
  let rss = 0;
  for (const p of processTree(procRoot, pid)) {
    let rollup: string;
    try {
      rollup = readFileSync(path.join(procRoot, String(p), 'smaps_rollup'), 'utf8');
    } catch {
      continue;
    }
    const pssKB = kB(rollup, 'Pss');
    const rssKB = kB(rollup, 'Rss');
    if (pssKB === null || rssKB === null) continue;
    pids.push(p);
    pss += pssKB;
    rss += rssKB;
  }
  if (!pids.includes(pid)) throw new Error(`cannot read ${path.join(procRoot, String(pid), 'smaps_rollup')}`);
  return { pids, pssMB: (pss * 1024) / MB, rssMB: (rss * 1024) / MB };
}
