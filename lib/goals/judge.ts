/**
 * The goal judge: turns each status the engine reads for a target into one measured against
 * the wait's goals: `--for complete`'s stricter verdicts for Jobs and Pods,
 * `--require-observed`, terminal failures, per-object annotations, and whether the goal holds
 * (`ResourceStatus.goal`). It runs inside the engine (see `createStatusPoller`'s `transform`),
 * so a change that only the goal sees (a condition, a field, a new resourceVersion) is an
 * event too.
 *
 * @module
 */

import { InputError } from "../errors.ts";
import { identifierKey } from "../groupkind.ts";
import { lookup } from "../fields.ts";
import type { ObjectIdentifier, ResourceStatus } from "../types.ts";
import { objectChoice, SKIP_ANNOTATION } from "./annotations.ts";
import type { Goal } from "./check.ts";
import type { GoalSpec, GoalType } from "./goal.ts";
import { controllerObserved, nextBaseline, type ObservedBaseline } from "./observed.ts";
import { terminalFailure } from "./terminal.ts";

/** A per-object choice known before polling (from a manifest's annotations). */
export interface KnownChoice {
  /** Never wait on it. */
  skip: boolean;
  /** Its own goals. */
  goals?: Goal[];
}

/** What the judge needs. */
export interface GoalJudgeOptions {
  /** The goals of the command line (all must hold). */
  goals: Goal[];
  /** Compiles a goal found in a live object's annotation. @throws {InputError} */
  compile: (spec: GoalSpec) => Goal;
  /**
   * `--require-observed`; when undefined, on for goals that include `complete` (for Jobs, Pods
   * and custom resources).
   */
  requireObserved?: boolean;
  /** End on terminal failures (`--no-fail-terminal` turns it off). */
  failTerminal: boolean;
  /** When the wait began (ms), for status writes after it. */
  startedAt: number;
  /** Choices from manifests, by `identifierKey`. */
  known?: ReadonlyMap<string, KnownChoice>;
}

/** Judges target statuses against the goals; keeps what `--require-observed` first saw. */
export interface GoalJudge {
  /** The status of a target measured against its goals. */
  judge(status: ResourceStatus): ResourceStatus;
}

/** Goals reached by becoming healthy: terminal failures and require-observed concern them. */
const HEALTH: ReadonlySet<GoalType> = new Set([
  "current",
  "complete",
  "condition",
  "jsonpath",
  "cel",
]);

/** Creates a judge for one wait. */
export function createGoalJudge(options: GoalJudgeOptions): GoalJudge {
  const baselines = new Map<string, ObservedBaseline>();
  const compiled = new Map<string, Goal>();
  const liveGoal = (spec: GoalSpec): Goal => {
    let goal = compiled.get(spec.text);
    if (!goal) compiled.set(spec.text, goal = options.compile(spec));
    return goal;
  };
  return {
    judge(rs) {
      const key = identifierKey(rs.identifier);
      const known = options.known?.get(key);
      const obj = rs.resource;
      let goals = known?.goals ?? options.goals;
      let skip = known?.skip ?? false;
      if (obj) {
        try {
          const live = objectChoice(obj);
          if (live) {
            skip = live.skip;
            if (live.goal) goals = [liveGoal(live.goal)];
          }
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          return {
            ...rs,
            status: "Unknown",
            message: "",
            error: e,
            goal: { met: false },
          };
        }
      }
      if (skip) {
        return {
          ...rs,
          message: `${SKIP_ANNOTATION} is set: not waited on`,
          goal: { met: true, skipped: true },
        };
      }
      const types = new Set(goals.map((g) => g.spec.type));
      let out = types.has("complete") ? completeStatus(rs) : rs;
      const requireObserved = options.requireObserved ??
        (types.has("complete") && impliedObserved(rs.identifier));
      const health = goals.some((g) => HEALTH.has(g.spec.type));
      let observed = true;
      if (obj && requireObserved && health) {
        const baseline = nextBaseline(obj, baselines.get(key));
        if (baseline) baselines.set(key, baseline);
        const r = controllerObserved(obj, baselines.get(key), options.startedAt);
        if (!r.observed) {
          observed = false;
          out = {
            ...out,
            status: out.status === "Failed" ? "Failed" : "InProgress",
            message: `waiting for the controller to observe generation ${r.generation}`,
          };
        }
      }
      const checks = goals.map((g) => ({ goal: g, ...g.check(out) }));
      const met = observed && checks.every((c) => c.met);
      if (
        obj && options.failTerminal && health &&
        (!met || types.has("current") || types.has("complete"))
      ) {
        const failure = terminalFailure(rs.identifier, obj);
        if (failure) {
          return {
            ...out,
            status: "Failed",
            // A verdict that is already Failed keeps its own words (the contract's, a rule's).
            message: out.status === "Failed" && out.message ? out.message : failure,
            goal: { met: false, terminal: true },
          };
        }
      }
      if (!met && observed) {
        const details = checks.filter((c) => !c.met && c.detail).map((c) =>
          `waiting for ${c.goal.spec.text}: ${c.detail}`
        );
        if (details.length > 0) {
          out = { ...out, message: [out.message, ...details].filter(Boolean).join("; ") };
        }
      }
      return { ...out, goal: { met } };
    },
  };
}

/**
 * What `--for complete` requires observation of by default: Jobs, Pods and custom resources.
 * Other built-in kinds either publish `observedGeneration` (which the contract already reads) or
 * have no controller that writes their status (a CronJob before its first run, an Ingress
 * without an ingress controller), where proof would never come.
 */
function impliedObserved(id: ObjectIdentifier): boolean {
  if (id.group === "batch" && id.kind === "Job") return true;
  if (id.group === "" && id.kind === "Pod") return true;
  return id.group.includes(".") && !id.group.endsWith(".k8s.io");
}

/**
 * `--for complete`: a Job is Current only once `Complete`, a bare Pod only once `Succeeded`
 * (a failed one is Failed); other kinds as `current`.
 */
function completeStatus(rs: ResourceStatus): ResourceStatus {
  const obj = rs.resource;
  if (!obj) return rs;
  const { group, kind } = rs.identifier;
  if (group === "batch" && kind === "Job") {
    if (rs.status !== "Current") return rs;
    const conditions = lookup(obj, ["status", "conditions"]);
    const complete = Array.isArray(conditions) &&
      conditions.some((c) => c?.type === "Complete" && c?.status === "True");
    return complete ? rs : { ...rs, status: "InProgress" };
  }
  if (group === "" && kind === "Pod") {
    const phase = lookup(obj, ["status", "phase"]);
    if (phase === "Succeeded") return rs;
    if (phase === "Failed") {
      return { ...rs, status: "Failed", message: "Pod has completed, but not successfully" };
    }
    if (rs.status !== "Current") return rs;
    return { ...rs, status: "InProgress", message: `${rs.message}; not Succeeded yet` };
  }
  return rs;
}
