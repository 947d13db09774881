/**
 * The events a status engine emits.
 *
 * @module
 */

import type { ResourceStatus } from "../types.ts";

/** A resource's status changed (or was seen for the first time). */
export interface ResourceUpdateEvent {
  /** Discriminator. */
  type: "ResourceUpdate";
  /** The new status. */
  resource: ResourceStatus;
}

/** A problem that stops the whole engine (not a per-resource one). */
export interface ErrorEvent {
  /** Discriminator. */
  type: "Error";
  /** What went wrong. */
  error: Error;
}

/**
 * A full poll cycle starts: the cluster reader is synced and every resource is read again
 * (one per interval; cycles for changes seen by a watch are not full cycles).
 */
export interface SyncEvent {
  /** Discriminator. */
  type: "Sync";
}

/** An event from `poll()`. */
export type Event = ResourceUpdateEvent | ErrorEvent | SyncEvent;

/** The event type names. */
export type EventType = Event["type"];
