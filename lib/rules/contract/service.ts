/**
 * Status rule for core `Service`.
 *
 * @module
 */

import { current, inProgress } from "../../conditions.ts";
import { stringField } from "../../fields.ts";
import type { ComputeResult, KubeObject } from "../../types.ts";

/** A LoadBalancer Service waits for its cluster IP; ingress is not looked at. */
export function serviceRule(obj: KubeObject): ComputeResult {
  const type = stringField(obj, ["spec", "type"], "ClusterIP");
  if (type === "LoadBalancer" && stringField(obj, ["spec", "clusterIP"], "") === "") {
    return inProgress(
      "NoIPAssigned",
      "ClusterIP not set. Service type: LoadBalancer",
      "spec.type LoadBalancer without spec.clusterIP",
    );
  }
  return current("Service is ready");
}
