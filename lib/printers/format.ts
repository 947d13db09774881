/**
 * Small formatting helpers shared by the printers: resource names, durations,
 * ages and colours.
 *
 * @module
 */

import { lookup } from "../fields.ts";
import type { ObjectIdentifier, ResourceStatus, Status } from "../types.ts";

/** `deployment.apps/namespace/name` (lower-case kind.group; no namespace part when cluster-scoped). */
export function resourceRef(id: ObjectIdentifier): string {
  const gk = id.group ? `${id.kind.toLowerCase()}.${id.group}` : id.kind.toLowerCase();
  return id.namespace ? `${gk}/${id.namespace}/${id.name}` : `${gk}/${id.name}`;
}

/** A duration for people: `850ms`, `12.3s`, `4m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** Age from `metadata.creationTimestamp` as the original's table shows it, `-` when unknown. */
export function formatAge(status: ResourceStatus, nowMs: number): string {
  const ts = lookup(status.resource, ["metadata", "creationTimestamp"]);
  const created = typeof ts === "string" ? Date.parse(ts) : NaN;
  if (Number.isNaN(created)) return "-";
  const s = Math.max(0, Math.floor((nowMs - created) / 1000));
  if (s <= 90) return `${s}s`;
  if (s <= 90 * 60) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h`;
}

/** The status to show: `Skipped` for a resource skipped by its annotation. */
export function displayStatus(status: ResourceStatus): Status | "Skipped" {
  return status.goal?.skipped ? "Skipped" : status.status;
}

/** The message to show: the error's text when there is one. */
export function displayMessage(status: ResourceStatus): string {
  return status.error ? status.error.message : status.message;
}

const COLORS: Partial<Record<Status, string>> = {
  Current: "32",
  InProgress: "33",
  Failed: "31",
  Terminating: "33",
  Unknown: "35",
};

/** Wraps `text` in the status's ANSI colour when `color` is on. */
export function colorStatus(status: Status | "Skipped", text: string, color: boolean): string {
  const code = status === "Skipped" ? undefined : COLORS[status];
  return color && code ? `\x1b[${code}m${text}\x1b[0m` : text;
}

/** True when colours should be used: a terminal and no `NO_COLOR` set (any value). */
export function useColor(isTerminal: boolean, env: Record<string, string | undefined>): boolean {
  return isTerminal && (env.NO_COLOR === undefined || env.NO_COLOR === "") && env.TERM !== "dumb";
}

/** Cuts `text` to `width` characters, marking the cut with `…`. */
export function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
