/**
 * The `table` output: every resource on a line, children drawn as a tree
 * under their parent, redrawn in place on a terminal.
 *
 * @module
 */

import type { ResourceStatus } from "../types.ts";
import { colorStatus, displayMessage, formatAge, truncate } from "./format.ts";

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
  status: ResourceStatus["status"];
  age: string;
  message: string;
}

function rows(statuses: readonly ResourceStatus[], nowMs: number): Row[] {
  const out: Row[] = [];
  const visit = (s: ResourceStatus, prefix: string, childPrefix: string) => {
    out.push({
      namespace: s.identifier.namespace,
      resource: `${prefix}${s.identifier.kind}/${s.identifier.name}`,
      status: s.status,
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
 * import { renderTable } from "@kstatus/kstatus";
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
  /** Replaces the previous block with `lines`. */
  draw(lines: readonly string[]): void;
}

/** A region that moves the cursor up over its last block and clears it (ANSI). */
export function createLiveRegion(write: (line: string) => void): LiveRegion {
  let previous = 0;
  return {
    draw(lines) {
      // Cursor up over the old block, then clear to the end of the screen.
      const reset = previous > 0 ? `\x1b[${previous}A\r\x1b[J` : "";
      lines.forEach((line, i) => write(i === 0 ? reset + line : line));
      if (lines.length === 0 && reset) write(reset);
      previous = lines.length;
    },
  };
}
