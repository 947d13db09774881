/**
 * Plain data types shared by the whole library: objects, identifiers,
 * statuses and the results of status computation.
 *
 * @module
 */

/** The status of a resource, as computed by kstatus. */
export type Status =
  | "InProgress"
  | "Failed"
  | "Current"
  | "Terminating"
  | "NotFound"
  | "Unknown";

/**
 * The status values by name, so callers can write `Status.Current` instead of
 * a string literal.
 *
 * @example
 * ```ts
 * import { Status } from "@kstatus/kstatus";
 * console.log(Status.Current); // "Current"
 * ```
 */
export const Status = {
  InProgress: "InProgress",
  Failed: "Failed",
  Current: "Current",
  Terminating: "Terminating",
  NotFound: "NotFound",
  Unknown: "Unknown",
} as const satisfies Record<Status, Status>;

/**
 * Every status value, in the order of the spec.
 *
 * @example
 * ```ts
 * import { ALL_STATUSES } from "@kstatus/kstatus";
 * console.log(ALL_STATUSES.join(" ")); // "InProgress Failed Current Terminating NotFound Unknown"
 * ```
 */
export const ALL_STATUSES: readonly Status[] = Object.values(Status);

/** A Kubernetes object as plain JSON (unstructured). */
export type KubeObject = Record<string, unknown>;

/** An API group (`""` for the core group) and a kind. */
export interface GroupKind {
  /** API group, `""` for the core group. */
  group: string;
  /** Kind, e.g. `Deployment`. */
  kind: string;
}

/** Identifies one object in a cluster: its group, kind, namespace and name. */
export interface ObjectIdentifier extends GroupKind {
  /** Namespace, `""` for cluster-scoped objects. */
  namespace: string;
  /** Object name. */
  name: string;
}

/** One of the two standard conditions kstatus computes. */
export type ConditionType = "Reconciling" | "Stalled";

/** A condition as produced by {@linkcode computeStatus}. */
export interface Condition {
  /** Condition type (`Reconciling` or `Stalled` for computed ones). */
  type: string;
  /** `"True"`, `"False"` or `"Unknown"`. */
  status: string;
  /** Machine-readable reason, may be empty. */
  reason: string;
  /** Human-readable message, may be empty. */
  message: string;
}

/** The result of {@linkcode computeStatus}. */
export interface ComputeResult {
  /** Computed status. */
  status: Status;
  /** Human-readable explanation. */
  message: string;
  /** Standard conditions: one Reconciling for InProgress, one Stalled for Failed, else none. */
  conditions: Condition[];
  /**
   * The rule that gave the verdict, when a rule set judged the object: `file:rules.yaml#3`,
   * `builtin:cert-manager.io/Certificate`, `contract:apps/Deployment` or `generic`.
   */
  rule?: string;
  /**
   * What decided the verdict, for people: the condition or field that gave it, e.g.
   * `Available=False (MinimumReplicasUnavailable)`, `status.updatedReplicas 1 < spec.replicas 2`,
   * or for a CEL rule the expression that matched. Absent when nothing in particular did.
   */
  decidedBy?: string;
}

/** Options shared by status computation functions. */
export interface ComputeOptions {
  /** The current time; defaults to `new Date()`. Pods' scheduling window depends on it. */
  now?: Date;
}

/**
 * The status of one resource as reported by the engine, with the object it
 * was computed from and the statuses of its children.
 */
export interface ResourceStatus {
  /** Which resource this is. */
  identifier: ObjectIdentifier;
  /** Its status. */
  status: Status;
  /** Explanation, `""` when there is an error. */
  message: string;
  /** The object the status was computed from, when it could be read. */
  resource?: KubeObject;
  /** A problem reading or computing the status (status is then Unknown). */
  error?: Error;
  /** Children (ReplicaSets of a Deployment, Pods of a ReplicaSet, ...), sorted. */
  generatedResources: ResourceStatus[];
  /** The rule that gave the verdict, when a rule set judged the object (see `ComputeResult`). */
  rule?: string;
  /** The condition or field that decided the verdict (see `ComputeResult`). */
  decidedBy?: string;
  /** Where the resource stands against a wait's goals, when a wait judged it (`--for`). */
  goal?: GoalState;
}

/** A resource measured against a wait's goals (`kstatus wait --for`). */
export interface GoalState {
  /** Every goal holds (a skipped resource counts as met). */
  met: boolean;
  /** Skipped by its `kstatus.dev/skip` annotation: listed, never waited on. */
  skipped?: boolean;
  /** A failure that cannot recover by itself: the wait ends at once. */
  terminal?: boolean;
}
