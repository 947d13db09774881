/**
 * Container logs for diagnostics: which containers of a pod to read (those that crashed, exited
 * non-zero or restarted, the failed instance where it restarted) and reading their last lines
 * within the limits.
 *
 * @module
 */

import { containerStatuses } from "../containers.ts";
import { isObject, lookup } from "../fields.ts";
import type { KubeObject } from "../types.ts";
import type { DiagnosticLog, DiagnosticsApi } from "./types.ts";

/** One container log to read. */
export interface LogTarget {
  /** Pod name. */
  pod: string;
  /** Namespace. */
  namespace: string;
  /** Container name. */
  container: string;
  /** Read the previous instance (the one that failed before the restart). */
  previous: boolean;
}

/**
 * The containers of `pod` worth reading, init containers first: one that restarted (its
 * previous instance is the one that failed) or one that ended with a non-zero exit code.
 */
export function logTargets(pod: KubeObject): LogTarget[] {
  const name = String(lookup(pod, ["metadata", "name"]) ?? "");
  const namespace = String(lookup(pod, ["metadata", "namespace"]) ?? "");
  const out: LogTarget[] = [];
  for (const cs of containerStatuses(pod)) {
    if (typeof cs.name !== "string") continue;
    const restarts = typeof cs.restartCount === "number" ? cs.restartCount : 0;
    const lastTerminated = lookup(cs, ["lastState", "terminated"]);
    const terminated = lookup(cs, ["state", "terminated"]);
    if (restarts > 0 || isObject(lastTerminated)) {
      out.push({ pod: name, namespace, container: cs.name, previous: true });
    } else if (isObject(terminated) && terminated.exitCode !== 0) {
      out.push({ pod: name, namespace, container: cs.name, previous: false });
    }
  }
  return out;
}

/**
 * Reads the last `tailLines` lines of a container, at most `logBytes` of them (whole lines
 * where possible). The server applies its byte limit from the first line it sends, which would
 * cut the newest lines: it is asked for four times the limit and the newest lines are kept here.
 */
export async function readLog(
  api: Required<DiagnosticsApi>,
  target: LogTarget,
  limits: { tailLines: number; logBytes: number },
  signal: AbortSignal,
): Promise<DiagnosticLog> {
  const asked = limits.logBytes * 4;
  const text = await api.logs(target.namespace, target.pod, {
    container: target.container,
    previous: target.previous || undefined,
    tailLines: limits.tailLines,
    limitBytes: asked,
    signal,
  });
  const { lines, truncated } = lastLines(text, limits.tailLines, limits.logBytes);
  return {
    pod: target.pod,
    container: target.container,
    previous: target.previous,
    lines,
    truncated: truncated || utf8Length(text) >= asked,
  };
}

/**
 * The last `maxLines` lines of `text` that fit in `maxBytes` (UTF-8); a single last line longer
 * than that keeps its end. `truncated` when anything was left out for the bytes.
 */
export function lastLines(
  text: string,
  maxLines: number,
  maxBytes: number,
): { lines: string[]; truncated: boolean } {
  const all = text.split("\n").map((l) => l.endsWith("\r") ? l.slice(0, -1) : l);
  if (all.length > 0 && all[all.length - 1] === "") all.pop();
  const tail = all.slice(Math.max(0, all.length - maxLines));
  const kept: string[] = [];
  let bytes = 0;
  for (let i = tail.length - 1; i >= 0; i--) {
    const size = utf8Length(tail[i]) + 1;
    if (bytes + size > maxBytes) {
      if (kept.length === 0) kept.unshift(cutStart(tail[i], maxBytes));
      return { lines: kept, truncated: true };
    }
    kept.unshift(tail[i]);
    bytes += size;
  }
  return { lines: kept, truncated: false };
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** The end of `line` in at most `maxBytes` bytes, marked with `…` where it was cut. */
function cutStart(line: string, maxBytes: number): string {
  const chars = [...line];
  let bytes = 3; // the marker
  let start = chars.length;
  while (start > 0 && bytes + utf8Length(chars[start - 1]) <= maxBytes) {
    start--;
    bytes += utf8Length(chars[start]);
  }
  return `…${chars.slice(start).join("")}`;
}
