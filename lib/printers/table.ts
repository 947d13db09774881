/**
 * The `table` output: every resource on a line, children drawn as a tree
 * under their parent, redrawn in place on a terminal.
 *
 * @module
 */

import type { ResourceStatus } from "../types.ts";
import { colorStatus, displayMessage, displayStatus, formatAge, truncate } from "./format.ts";

/** Options of {@linkcode renderTable}. */
export interface TableOptions {
  /** Colour the STATUS column. */
  color: boolean;
  /** Terminal width; the MESSAGE column takes what is left (default 120). */
  width?: number;
  /** Now, in ms, for the AGE column. */
  nowMs: number;
}

interface Row {
  namespace: string;
  resource: string;
  status: ResourceStatus["status"] | "Skipped";
  age: string;
  message: string;
}

function rows(statuses: readonly ResourceStatus[], nowMs: number): Row[] {
  const out: Row[] = [];
  const visit = (s: ResourceStatus, prefix: string, childPrefix: string) => {
    out.push({
      namespace: s.identifier.namespace,
      resource: `${prefix}${s.identifier.kind}/${s.identifier.name}`,
      status: displayStatus(s),
      age: formatAge(s, nowMs),
      message: displayMessage(s),
    });
    s.generatedResources.forEach((child, i) => {
      const last = i === s.generatedResources.length - 1;
      visit(child, childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  "));
    });
  };
  for (const s of statuses) visit(s, "", "");
  return out;
}

/**
 * The table's lines: a header, then a row per resource and child.
 *
 * @example
 * ```ts
 * import { renderTable } from "./table.ts";
 * const lines = renderTable([], { color: false, nowMs: Date.now() });
 * console.log(lines[0]); // NAMESPACE  RESOURCE  STATUS  AGE  MESSAGE
 * ```
 */
export function renderTable(statuses: readonly ResourceStatus[], options: TableOptions): string[] {
  const all = rows(statuses, options.nowMs);
  const head: Row = {
    namespace: "NAMESPACE",
    resource: "RESOURCE",
    status: "STATUS" as Row["status"],
    age: "AGE",
    message: "MESSAGE",
  };
  const width = (pick: (r: Row) => string, cap: number) =>
    Math.min(cap, Math.max(...[head, ...all].map((r) => pick(r).length)));
  const ns = width((r) => r.namespace, 20);
  const res = width((r) => r.resource, 60);
  const st = width((r) => r.status, 11);
  const age = width((r) => r.age, 5);
  const used = ns + res + st + age + 8;
  const msg = Math.max(20, (options.width ?? 120) - used - 1);
  return [head, ...all].map((r, i) => {
    const status = r.status.padEnd(st);
    const cells = [
      truncate(r.namespace, ns).padEnd(ns),
      truncate(r.resource, res).padEnd(res),
      i === 0 ? status : colorStatus(r.status, status, options.color),
      r.age.padEnd(age),
      truncate(r.message, msg),
    ];
    return cells.join("  ").trimEnd();
  });
}

/** Draws a block of lines in place, replacing the block drawn before. */
export interface LiveRegion {
  /**
   * Replaces the previous block with `lines`. With `fit` (the default) a block taller than the
   * terminal is cut to fit, as rows that scrolled off the screen can no longer be redrawn;
   * the last block of a run is drawn whole (`fit: false`), it is never redrawn.
   */
  draw(lines: readonly string[], options?: { fit?: boolean }): void;
}

/** The terminal a live region draws on. */
export interface TerminalSize {
  /** Columns, when known: long lines wrap onto more rows. */
  width?: number;
  /** Rows, when known: a taller block is cut. */
  height?: number;
}

// deno-lint-ignore no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;

/** How many terminal rows `line` takes at `width` columns (colour codes take none). */
export function screenRows(line: string, width?: number): number {
  if (!width || width <= 0) return 1;
  return Math.max(1, Math.ceil(line.replace(SGR, "").length / width));
}

/** The first lines of `lines` that fit in `height` rows, and a line saying how many were left. */
function fitToHeight(lines: readonly string[], size: TerminalSize): readonly string[] {
  // The cursor rests on the row below the block: that row is not available.
  const budget = size.height ? size.height - 1 : Infinity;
  const rowsOf = (l: string) => screenRows(l, size.width);
  if (lines.reduce((n, l) => n + rowsOf(l), 0) <= budget) return lines;
  const kept: string[] = [];
  let used = 1; // the "more" line
  for (const line of lines) {
    if (used + rowsOf(line) > budget) break;
    kept.push(line);
    used += rowsOf(line);
  }
  kept.push(`… ${lines.length - kept.length} more lines (the whole table is printed at the end)`);
  return kept;
}

/**
 * A region that moves the cursor up over its last block and clears it (ANSI), counting the
 * rows wrapped lines take when the terminal width is known.
 */
export function createLiveRegion(
  write: (line: string) => void,
  size: TerminalSize = {},
): LiveRegion {
  let previous = 0;
  return {
    draw(lines, { fit = true } = {}) {
      const shown = fit ? fitToHeight(lines, size) : lines;
      // Cursor up over the old block, then each line is erased as it is rewritten and the
      // last one clears what is left below. Clearing the whole block at once from the top row
      // of the screen would make some terminals (tmux) keep a copy of it in their scrollback.
      const up = previous > 0 ? `\x1b[${previous}A\r` : "";
      shown.forEach((line, i) => {
        const erase = i === shown.length - 1 ? "\x1b[J" : "\x1b[2K";
        write((i === 0 ? up : "") + erase + line);
      });
      if (shown.length === 0 && up) write(`${up}\x1b[J`);
      previous = shown.reduce((n, l) => n + screenRows(l, size.width), 0);
    },
  };
}
