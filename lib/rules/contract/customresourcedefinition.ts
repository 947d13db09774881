/**
 * Status rule for `apiextensions.k8s.io/CustomResourceDefinition`.
 *
 * @module
 */

import { current, failed, inProgress } from "../../conditions.ts";
import type { ComputeResult, KubeObject } from "../../types.ts";
import type { RuleContext } from "./rule.ts";

/** A CustomResourceDefinition is Current once Established, Failed when its names clash. */
export function crdRule(_obj: KubeObject, { conditions }: RuleContext): ComputeResult {
  for (const c of conditions) {
    if (c.type === "NamesAccepted" && c.status === "False") return failed(c.reason, c.message);
    if (c.type === "Established") {
      if (c.status === "False" && c.reason !== "Installing") return failed(c.reason, c.message);
      if (c.status === "True") return current("CRD is established");
    }
  }
  return inProgress("Installing", "Install in progress");
}
