/**
 * Plain data of diagnostics: why a resource is not at its goal (the deciding rule and the
 * children that explain it), its warning events and the logs of its failing containers.
 *
 * @module
 */

import type { KubeApi } from "../cluster/types.ts";

/** Warning events of one object with the same reason, folded into one entry. */
export interface DiagnosticEvent {
  /** The object the events are about, `Kind/name` (`Pod/web-7d9c-x2`). */
  object: string;
  /** Its namespace. */
  namespace: string;
  /** `Warning` (Normal events are not gathered). */
  type: string;
  /** Machine-readable reason, e.g. `BackOff`, `FailedScheduling`. */
  reason: string;
  /** The newest event's message. */
  message: string;
  /** How many times it happened (event series counted). */
  count: number;
  /** When it last happened, RFC3339; `""` when the events carry no time. */
  lastTime: string;
}

/** The last lines of one container's log. */
export interface DiagnosticLog {
  /** Pod name. */
  pod: string;
  /** Container name. */
  container: string;
  /** True for the previous (failed) instance of a restarted container. */
  previous: boolean;
  /** The lines, oldest first, exactly as the container wrote them (no line ends). */
  lines: string[];
  /** Older output was left out beyond the byte limit (the line limit alone does not set it). */
  truncated: boolean;
}

/** What decided the verdict. */
export interface DiagnosticRule {
  /** The rule that judged the resource (`contract:apps/Deployment`, `builtin:...`), if known. */
  id?: string;
  /** The condition, field or expression that gave the verdict. */
  decidedBy?: string;
  /**
   * Children that explain it, most telling first: `Pod/web-x2: container app waiting:
   * CrashLoopBackOff`, `Pod/db-0: PodScheduled=False (Unschedulable): 0/3 nodes are available...`.
   */
  because: string[];
}

/** Everything gathered about one resource. */
export interface Diagnostics {
  /** The deciding rule and the children that explain it. */
  rule: DiagnosticRule;
  /** Warning events of the resource and its children, newest first, folded by reason. */
  events: DiagnosticEvent[];
  /** Logs of containers that crashed, exited non-zero or restarted. */
  logs: DiagnosticLog[];
  /** What could not be gathered and why, and each limit reached (`events: forbidden (403)`). */
  notes: string[];
}

/** How much diagnostics may gather. */
export interface DiagnosticsLimits {
  /** Pods whose logs are read, per resource (default 5). */
  podsPerResource: number;
  /** Log requests per run, all resources together (default 20). */
  logRequests: number;
  /** Lines per container (default 20). */
  tailLines: number;
  /** Bytes per container (default 8 KiB). */
  logBytes: number;
  /** Folded events shown per resource (default 10). */
  eventsPerResource: number;
}

/**
 * The default limits.
 *
 * @example
 * ```ts
 * import { DEFAULT_DIAGNOSTICS_LIMITS } from "@kstatus/kstatus";
 * console.log(DEFAULT_DIAGNOSTICS_LIMITS.logRequests); // 20
 * ```
 */
export const DEFAULT_DIAGNOSTICS_LIMITS: Readonly<DiagnosticsLimits> = Object.freeze({
  podsPerResource: 5,
  logRequests: 20,
  tailLines: 20,
  logBytes: 8192,
  eventsPerResource: 10,
});

/** Options of `collectDiagnostics`. */
export interface DiagnosticsOptions extends Partial<DiagnosticsLimits> {
  /** Gather warning events (default true). */
  events?: boolean;
  /** Gather container logs (default true); logs may hold data a CI log should not. */
  logs?: boolean;
  /** Everything is gathered within this many ms (default 5000); what is late is noted. */
  deadlineMs?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Aborting stops gathering at once; what was gathered is returned. */
  signal?: AbortSignal;
}

/** What diagnostics read through: a LIST (for events) and, when served, container logs. */
export type DiagnosticsApi = Pick<KubeApi, "list" | "logs">;
