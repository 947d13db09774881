/**
 * Builds a `StatusReader` from plain data: the kinds it serves, how to
 * compute an object's own status, and how to find its children.
 *
 * @module
 */

import { computeStatus } from "../lib/rules/compute.ts";
import { groupKindKey, identifierOf } from "../lib/groupkind.ts";
import { sortResourceStatuses } from "../lib/resource_status.ts";
import {
  lookupStatusReader,
  statusFromError,
  type StatusReader,
  type StatusReaderContext,
} from "../lib/status_reader.ts";
import type { ComputeResult, GroupKind, KubeObject, ResourceStatus } from "../lib/types.ts";
import { type ChildSpec, findChildren } from "./children.ts";

/** What a status reader is made of. */
export interface StatusReaderSpec {
  /** Kinds served; `undefined` means every kind (the generic reader). */
  groupKinds?: readonly GroupKind[];
  /**
   * The object's own status; defaults to the context's `compute` (the rule set the engine was
   * given), else `computeStatus`.
   */
  compute?: (obj: KubeObject, now: Date) => ComputeResult;
  /** How to find children, if the kind has any. */
  children?: ChildSpec;
  /**
   * Turn an InProgress parent into Failed when a child pod Failed
   * (`%d pods have failed`), as the original does for ReplicaSets and StatefulSets.
   */
  escalateFailedPods?: boolean;
}

function contractCompute(obj: KubeObject, now: Date): ComputeResult {
  return computeStatus(obj, { now });
}

/**
 * Creates a StatusReader from a spec.
 *
 * @example
 * ```ts
 * import { createStatusReader, defaultStatusReaders } from "@kstatus/kstatus";
 * const registry = defaultStatusReaders();
 * registry.set("example.com/Widget", createStatusReader({
 *   groupKinds: [{ group: "example.com", kind: "Widget" }],
 *   compute: (obj) => ({ status: "Current", message: "widgets are always fine", conditions: [] }),
 * }));
 * ```
 */
export function createStatusReader(spec: StatusReaderSpec): StatusReader {
  const keys = spec.groupKinds ? new Set(spec.groupKinds.map(groupKindKey)) : undefined;

  const reader: StatusReader = {
    childKinds: spec.children ? [spec.children.kind] : [],
    supports: (gk) => keys === undefined || keys.has(groupKindKey(gk)),

    async readStatus(ctx, id) {
      let obj: KubeObject;
      try {
        await ctx.mapper.mapping(id, { signal: ctx.signal });
        obj = await ctx.cluster.get(id, { signal: ctx.signal });
      } catch (e) {
        return statusFromError(id, e, ctx.signal);
      }
      return reader.readStatusForObject(ctx, obj);
    },

    async readStatusForObject(ctx, obj) {
      const id = identifierOf(obj);
      let children: ResourceStatus[] = [];
      if (spec.children) {
        try {
          children = await readChildren(ctx, obj, spec.children);
        } catch (e) {
          return statusFromError(id, e, ctx.signal, { resource: obj, generatedResources: [] });
        }
      }
      let result: ComputeResult;
      try {
        result = (spec.compute ?? ctx.compute ?? contractCompute)(obj, ctx.now());
      } catch (e) {
        return statusFromError(id, e, ctx.signal, { resource: obj, generatedResources: children });
      }
      let { status, message, decidedBy } = result;
      if (spec.escalateFailedPods && status === "InProgress") {
        const failedPods = children.filter((c) => c.status === "Failed");
        if (failedPods.length > 0) {
          status = "Failed";
          message = `${failedPods.length} pods have failed`;
          decidedBy = `Failed pods: ${failedPods.map((c) => c.identifier.name).join(", ")}`;
        }
      }
      const out: ResourceStatus = {
        identifier: id,
        status,
        message,
        resource: obj,
        generatedResources: children,
      };
      if (result.rule) out.rule = result.rule;
      if (decidedBy) out.decidedBy = decidedBy;
      return out;
    },
  };
  return reader;
}

async function readChildren(
  ctx: StatusReaderContext,
  parent: KubeObject,
  spec: ChildSpec,
): Promise<ResourceStatus[]> {
  const objects = await findChildren(ctx, parent, spec);
  const childReader = lookupStatusReader(ctx.registry, spec.kind, genericStatusReader);
  const statuses: ResourceStatus[] = [];
  for (const child of objects) statuses.push(await childReader.readStatusForObject(ctx, child));
  return sortResourceStatuses(statuses);
}

/**
 * The reader for kinds without one of their own: `computeStatus`, no children.
 *
 * @example
 * ```ts
 * import { defaultStatusReaders, genericStatusReader } from "@kstatus/kstatus";
 * const registry = defaultStatusReaders();
 * // Widgets follow the generic, conditions-based rules:
 * registry.set("example.com/Widget", genericStatusReader);
 * ```
 */
export const genericStatusReader: StatusReader = createStatusReader({});
