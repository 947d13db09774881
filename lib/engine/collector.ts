/**
 * The collector: the latest status of every resource, fed from an event
 * stream, and the conditions under which a wait is over.
 *
 * @module
 */

import { identifierKey } from "../groupkind.ts";
import { sortResourceStatuses } from "../resource_status.ts";
import type { ObjectIdentifier, ResourceStatus, Status } from "../types.ts";
import type { Event, EventType } from "./events.ts";

/** What a wait waits for. */
export type StopCondition = "known" | "current" | "deleted" | "forever";

/**
 * The stop conditions, for validating user input.
 *
 * @example
 * ```ts
 * import { STOP_CONDITIONS, type StopCondition } from "@kstatus/kstatus";
 * const goal = "current";
 * if (!STOP_CONDITIONS.includes(goal as StopCondition)) throw new Error(`bad goal ${goal}`);
 * ```
 */
export const STOP_CONDITIONS: readonly StopCondition[] = ["known", "current", "deleted", "forever"];

/** A snapshot of what the collector has seen. */
export interface Observation {
  /** Type of the last event applied, if any. */
  lastEventType?: EventType;
  /** Latest status per resource, sorted by namespace, group, kind, name. */
  resourceStatuses: ResourceStatus[];
  /** The last Error event's error, if any. */
  error?: Error;
}

/**
 * Keeps the latest status per identifier. Every identifier starts as
 * `Unknown`; updates for identifiers not given up front are added.
 *
 * @example
 * ```ts
 * import { ResourceStatusCollector } from "@kstatus/kstatus";
 * const id = { group: "", kind: "ConfigMap", namespace: "ns", name: "a" };
 * const collector = new ResourceStatusCollector([id]);
 * collector.apply({ type: "ResourceUpdate", resource: { identifier: id, status: "Current", message: "", generatedResources: [] } });
 * collector.isDone("current"); // true
 * ```
 */
export class ResourceStatusCollector {
  #statuses = new Map<string, ResourceStatus>();
  /** How many resources have each status: `isDone` after every event must not walk them all. */
  #counts = new Map<Status, number>();
  /** How many resources a wait's goal judge said are at their goal (`goal.met`). */
  #met = 0;
  /** The sorted statuses, until the next update: sorting them after every event was quadratic. */
  #sorted?: ResourceStatus[];
  #lastEventType?: EventType;
  #error?: Error;

  /**
   * Creates a collector.
   *
   * @param identifiers the resources to track, all starting as Unknown
   */
  constructor(identifiers: readonly ObjectIdentifier[]) {
    for (const id of identifiers) {
      this.#set(identifierKey(id), {
        identifier: id,
        status: "Unknown",
        message: "",
        generatedResources: [],
      });
    }
  }

  #set(key: string, status: ResourceStatus): void {
    const previous = this.#statuses.get(key);
    if (previous !== undefined) {
      this.#counts.set(previous.status, this.#counts.get(previous.status)! - 1);
      if (previous.goal?.met) this.#met--;
    }
    this.#counts.set(status.status, (this.#counts.get(status.status) ?? 0) + 1);
    if (status.goal?.met) this.#met++;
    this.#statuses.set(key, status);
    this.#sorted = undefined;
  }

  /** Applies one event. */
  apply(event: Event): void {
    this.#lastEventType = event.type;
    if (event.type === "Error") this.#error = event.error;
    if (event.type === "ResourceUpdate") {
      this.#set(identifierKey(event.resource.identifier), event.resource);
    }
  }

  /** The number of resources tracked. */
  get size(): number {
    return this.#statuses.size;
  }

  /** The latest status of `id`, if tracked. */
  get(id: ObjectIdentifier): ResourceStatus | undefined {
    return this.#statuses.get(identifierKey(id));
  }

  /** A snapshot: last event type, sorted statuses (do not modify them), last error. */
  latestObservation(): Observation {
    this.#sorted ??= sortResourceStatuses([...this.#statuses.values()]);
    return {
      lastEventType: this.#lastEventType,
      resourceStatuses: this.#sorted,
      error: this.#error,
    };
  }

  /**
   * True when a wait's goal judge has said every resource is at its goal (each status carries
   * `goal.met`, see `GoalState`); counted as events arrive, so asking after each one is cheap.
   */
  allAtGoal(): boolean {
    return this.#met === this.#statuses.size;
  }

  /** True when `condition` holds for the statuses collected so far. */
  isDone(condition: StopCondition): boolean {
    const count = (s: Status) => this.#counts.get(s) ?? 0;
    // As aggregateStatus over every status, from the counts (see the aggregator).
    const all = (desired: Status) =>
      count("Failed") === 0 && count(desired) === this.#statuses.size;
    switch (condition) {
      case "known":
        return count("Unknown") === 0;
      case "current":
        return all("Current");
      case "deleted":
        return all("NotFound");
      case "forever":
        return false;
    }
  }
}

/**
 * Passes `events` through while applying them to `collector`, and ends the
 * stream (which stops the engine) once `until` holds after an event.
 *
 * @example
 * ```ts ignore
 * const collector = new ResourceStatusCollector(ids);
 * for await (const e of observe(engine.poll(ids, { signal }), collector, "current")) {
 *   console.log(e);
 * }
 * ```
 */
export async function* observe(
  events: AsyncIterable<Event>,
  collector: ResourceStatusCollector,
  until: StopCondition,
): AsyncGenerator<Event, void, undefined> {
  for await (const event of events) {
    collector.apply(event);
    yield event;
    if (collector.isDone(until)) return;
  }
}
