/**
 * Contract status rule for `batch/Job`.
 *
 * @module
 */

import { current, describeCondition, failed, inProgress } from "../../conditions.ts";
import { boolField, intField, stringField } from "../../fields.ts";
import type { ComputeResult, KubeObject } from "../../types.ts";
import type { RuleContext } from "./rule.ts";

/** Computes a Job's status; a running job is Current. */
export function jobRule(obj: KubeObject, { conditions }: RuleContext): ComputeResult {
  const parallelism = intField(obj, ["spec", "parallelism"], 1);
  const completions = intField(obj, ["spec", "completions"], parallelism);
  const succeeded = intField(obj, ["status", "succeeded"], 0);
  const active = intField(obj, ["status", "active"], 0);
  const failedCount = intField(obj, ["status", "failed"], 0);
  const suspended = boolField(obj, ["spec", "suspend"], false);
  for (const c of conditions) {
    if (c.status !== "True") continue;
    if (c.type === "Complete") {
      return current(`Job Completed. succeeded: ${succeeded}/${completions}`, describeCondition(c));
    }
    if (c.type === "Failed") {
      return failed(
        "JobFailed",
        `Job Failed. failed: ${failedCount}/${completions}`,
        `${describeCondition(c)}${c.message ? `: ${c.message}` : ""}`,
      );
    }
    if (c.type === "Suspended" && suspended) return current("Job is suspended");
  }
  if (stringField(obj, ["status", "startTime"], "") === "") {
    return inProgress("JobNotStarted", "Job not started", "no status.startTime");
  }
  return current(
    `Job in progress. success:${succeeded}, active: ${active}, failed: ${failedCount}`,
  );
}
