/**
 * Status rule for `apiextensions.k8s.io/CustomResourceDefinition`.
 *
 * @module
 */

import { current, describeCondition, failed, inProgress } from "../../conditions.ts";
import type { ComputeResult, KubeObject } from "../../types.ts";
import type { RuleContext } from "./rule.ts";

/** A CustomResourceDefinition is Current once Established, Failed when its names clash. */
export function crdRule(_obj: KubeObject, { conditions }: RuleContext): ComputeResult {
  for (const c of conditions) {
    if (c.type === "NamesAccepted" && c.status === "False") {
      return failed(c.reason, c.message, describeCondition(c));
    }
    if (c.type === "Established") {
      if (c.status === "False" && c.reason !== "Installing") {
        return failed(c.reason, c.message, describeCondition(c));
      }
      if (c.status === "True") return current("CRD is established", describeCondition(c));
    }
  }
  return inProgress("Installing", "Install in progress");
}
