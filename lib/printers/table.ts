/**
 * The `table` output: every resource on a line, children drawn as a tree
 * under their parent, redrawn in place on a terminal. A line never wraps: on a
 * terminal of known width the columns are sized from it (RESOURCE first, then
 * MESSAGE) and every line is cut to it; off a terminal nothing is cut.
 *
 * @module
 */

import type { ResourceStatus, Status } from "../types.ts";
import { escapeControl } from "../text/escape.ts";
import { clip, displayWidth, padTo } from "../text/width.ts";
import { colorStatus, displayMessage, displayStatus, formatAge } from "./format.ts";

/** Options of {@linkcode renderTable}. */
export interface TableOptions {
  /** Colour the STATUS column. */
  color: boolean;
  /** Terminal columns; `undefined` or 0 when unknown (off a terminal): nothing is cut. */
  width?: number;
  /**
   * Lines the table may take, its header included. When the rows are more, resources not at
   * their goal come first and finished subtrees fold into one line each (then finished
   * siblings into one line together); what is still too much is the caller's to cut.
   */
  height?: number;
  /** Now, in ms, for the AGE column. */
  nowMs: number;
  /** True for a resource at the goal of the wait (default: `Current`). */
  atGoal?: (status: ResourceStatus) => boolean;
}

interface Node {
  status: ResourceStatus;
  children: Node[];
  /** The node and everything under it are at the goal. */
  done: boolean;
  /** Nodes in the subtree, this one included. */
  size: number;
}

interface Row {
  /** A line standing for finished siblings folded together. */
  summary?: true;
  namespace: string;
  prefix: string;
  /** `Kind/name`, or the summary text of folded siblings. */
  full: string;
  /** `Kind/…-suffix` when the name extends the parent's name, else `full`. */
  short: string;
  /** Where the name starts in `full` and `short` (what is cut first is the name's start). */
  nameAt: [number, number];
  status: Status | "Skipped" | "";
  age: string;
  message: string;
}

/** Text from the cluster on one table line: no control characters, no tabs. */
function cell(text: string): string {
  return escapeControl(text).replaceAll("\t", " ").replaceAll("	", " ");
}

function tree(s: ResourceStatus, atGoal: (s: ResourceStatus) => boolean): Node {
  const children = s.generatedResources.map((c) => tree(c, atGoal));
  return {
    status: s,
    children,
    done: atGoal(s) && children.every((c) => c.done),
    size: 1 + children.reduce((n, c) => n + c.size, 0),
  };
}

/** Folding: 0 none, 1 finished subtrees fold, 2 finished siblings fold together too. */
type Fold = 0 | 1 | 2;

function flatten(roots: readonly Node[], fold: Fold, nowMs: number, goal: Status): Row[] {
  const out: Row[] = [];
  const ordered = (nodes: readonly Node[]) =>
    fold === 0 ? nodes : [...nodes.filter((n) => !n.done), ...nodes.filter((n) => n.done)];
  const visitList = (nodes: readonly Node[], childPrefix: string, parentName?: string) => {
    const list = ordered(nodes);
    const finished = list.filter((n) => n.done);
    const collapse = fold === 2 && finished.length > 1;
    const shown = collapse ? list.filter((n) => !n.done) : list;
    const entries = shown.length + (collapse ? 1 : 0);
    shown.forEach((node, i) => {
      const last = i === entries - 1;
      visit(node, childPrefix, last, parentName);
    });
    if (collapse) {
      const hidden = finished.reduce((n, f) => n + f.size, 0);
      const text = `… ${hidden} more`;
      out.push({
        summary: true,
        namespace: "",
        prefix: parentName === undefined ? "" : `${childPrefix}└─ `,
        full: text,
        short: text,
        nameAt: [0, 0],
        status: goal,
        age: "",
        message: "",
      });
    }
  };
  const visit = (node: Node, prefix: string, last: boolean, parentName?: string) => {
    const s = node.status;
    const kind = cell(s.identifier.kind);
    const name = cell(s.identifier.name);
    const folded = fold > 0 && node.done && node.children.length > 0 ? node.size - 1 : 0;
    const more = folded ? ` (+${folded})` : "";
    // A child named after its owner (web -> web-7d9f -> web-7d9f-x2x8q) is told apart by the end.
    const suffix = parentName && name.startsWith(parentName) && name.length > parentName.length
      ? `…${name.slice(parentName.length)}`
      : name;
    const branch = parentName === undefined ? "" : `${prefix}${last ? "└─ " : "├─ "}`;
    out.push({
      namespace: cell(s.identifier.namespace),
      prefix: branch,
      full: `${kind}/${name}${more}`,
      short: `${kind}/${suffix}${more}`,
      nameAt: [kind.length + 1, kind.length + 1],
      status: displayStatus(s),
      age: formatAge(s, nowMs),
      message: cell(displayMessage(s)),
    });
    if (folded) return;
    const childPrefix = parentName === undefined ? "" : `${prefix}${last ? "   " : "│  "}`;
    visitList(node.children, childPrefix, name);
  };
  visitList(roots, "");
  return out;
}

const HEAD = { namespace: "NAMESPACE", resource: "RESOURCE", status: "STATUS", age: "AGE" };
const SEP = "  ";

/** The RESOURCE cell cut to `width`: the tree and the kind stay, the name loses its start. */
function resourceCell(row: Row, useShort: boolean, width: number): string {
  const text = useShort ? row.short : row.full;
  const whole = row.prefix + text;
  if (displayWidth(whole) <= width) return whole;
  const at = row.nameAt[useShort ? 1 : 0];
  const fixed = row.prefix + text.slice(0, at);
  const room = width - displayWidth(fixed);
  if (at === 0 || room < 2) return clip(whole, width).replace("……", "…");
  // A suffix already marked as cut ("…-5d8f7c9b4") is cut further, not marked twice.
  const cut = text.startsWith("…", at);
  const body = clip(text.slice(at + (cut ? 1 : 0)), room, "start");
  return fixed + (cut && !body.startsWith("…") ? `…${[...body].slice(1).join("")}` : body);
}

/**
 * The table's lines: a header, then a row per resource and child.
 *
 * @example
 * ```ts
 * import { renderTable } from "./table.ts";
 * const lines = renderTable([], { color: false, nowMs: Date.now() });
 * console.log(lines[0]); // RESOURCE  STATUS  AGE  MESSAGE
 * ```
 */
export function renderTable(statuses: readonly ResourceStatus[], options: TableOptions): string[] {
  const atGoal = options.atGoal ?? ((s: ResourceStatus) => s.status === "Current");
  const goal = statuses.find(atGoal)?.status ?? "Current";
  const roots = statuses.map((s) => tree(s, atGoal));
  const width = options.width && options.width > 0 ? options.width : undefined;
  let rows = flatten(roots, 0, options.nowMs, goal);
  const budget = options.height && options.height > 0 ? options.height - 1 : Infinity;
  for (const fold of [1, 2] as const) {
    if (rows.length <= budget) break;
    rows = flatten(roots, fold, options.nowMs, goal);
  }

  // NAMESPACE only when it tells rows apart (kubectl drops it for one namespace too).
  const namespaces = new Set(rows.filter((r) => !r.summary).map((r) => r.namespace));
  const showNs = namespaces.size > 1;
  const widest = (texts: string[]) => Math.max(0, ...texts.map(displayWidth));
  const statusW = widest([HEAD.status, ...rows.map((r) => r.status)]);
  const ageW = widest([HEAD.age, ...rows.map((r) => r.age)]);
  let nsW = showNs ? widest([HEAD.namespace, ...rows.map((r) => r.namespace)]) : 0;
  const fullW = widest([HEAD.resource, ...rows.map((r) => r.prefix + r.full)]);
  const shortW = widest([HEAD.resource, ...rows.map((r) => r.prefix + r.short)]);
  const msgNat = widest(rows.map((r) => r.message));
  let useShort = false;
  let resW = fullW;
  let msgW = msgNat;
  if (width !== undefined) {
    const seps = SEP.length * (showNs ? 4 : 3);
    const avail = width - statusW - ageW - seps;
    if (nsW + fullW + msgNat > avail) {
      useShort = shortW < fullW;
      resW = useShort ? shortW : fullW;
      nsW = Math.min(nsW, 20);
      // RESOURCE grows first (it names what is waited for); MESSAGE keeps at least 30 columns
      // (or all it needs) when the terminal has them.
      const msgMin = Math.min(msgNat, 30);
      resW = Math.max(Math.min(resW, avail - nsW - msgMin), Math.min(resW, 16));
      msgW = Math.max(0, avail - nsW - resW);
    }
  }

  const line = (
    ns: string,
    res: string,
    status: string,
    st: Status | "Skipped" | "",
    age: string,
    msg: string,
  ) => {
    const cells = [
      ...(showNs ? [padTo(width ? clip(ns, nsW) : ns, nsW)] : []),
      padTo(res, resW),
      padTo(status, statusW),
      padTo(age, ageW),
      width ? clip(msg, msgW) : msg,
    ];
    const plain = cells.join(SEP).trimEnd();
    if (width && displayWidth(plain) > width) return clip(plain, width);
    if (!options.color || st === "") return plain;
    const at = showNs ? 2 : 1;
    cells[at] = colorStatus(st, cells[at], true);
    return cells.join(SEP).trimEnd();
  };
  return [
    line(HEAD.namespace, HEAD.resource, HEAD.status, "", HEAD.age, "MESSAGE"),
    ...rows.map((r) =>
      line(r.namespace, resourceCell(r, useShort, resW), r.status, r.status, r.age, r.message)
    ),
  ];
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
  /** Columns, when known. */
  width?: number;
  /** Rows, when known: a taller block is cut. */
  height?: number;
}

// deno-lint-ignore no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;

/** How many terminal rows `line` takes at `width` columns (colour codes take none). */
export function screenRows(line: string, width?: number): number {
  if (!width || width <= 0) return 1;
  return Math.max(1, Math.ceil(displayWidth(line.replace(SGR, "")) / width));
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
  const more = `… ${lines.length - kept.length} more lines (the whole table is printed at the end)`;
  kept.push(size.width ? clip(more, size.width) : more);
  return kept;
}

/**
 * A region that moves the cursor up over its last block and clears it (ANSI). The size is read
 * at every draw, so a resized terminal is drawn at its new size; the rows of the last block are
 * counted at the new width, as a terminal that re-wraps its lines on resize shows them.
 */
export function createLiveRegion(
  write: (line: string) => void,
  size: TerminalSize | (() => TerminalSize) = {},
): LiveRegion {
  const sizeNow = typeof size === "function" ? size : () => size;
  let previous: readonly string[] = [];
  return {
    draw(lines, { fit = true } = {}) {
      const now = sizeNow();
      const shown = fit ? fitToHeight(lines, now) : lines;
      const rows = previous.reduce((n, l) => n + screenRows(l, now.width), 0);
      // Cursor up over the old block, then each line is erased as it is rewritten and the
      // last one clears what is left below. Clearing the whole block at once from the top row
      // of the screen would make some terminals (tmux) keep a copy of it in their scrollback.
      const up = rows > 0 ? `\x1b[${rows}A\r` : "";
      shown.forEach((line, i) => {
        const erase = i === shown.length - 1 ? "\x1b[J" : "\x1b[2K";
        write((i === 0 ? up : "") + erase + line);
      });
      if (shown.length === 0 && up) write(`${up}\x1b[J`);
      previous = shown;
    },
  };
}
