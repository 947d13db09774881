/**
 * The reasons `--fail-on` accepts, apart from the reader that applies them, so the command
 * line can list and check them without loading the readers.
 *
 * @module
 */

/**
 * The pod problems `--fail-on` can turn into Failed.
 *
 * @example
 * ```ts
 * import { FAIL_ON_REASONS } from "@kstatus/kstatus";
 * console.log(FAIL_ON_REASONS.join(",")); // "ErrImagePull,ImagePullBackOff,..."
 * ```
 */
export const FAIL_ON_REASONS = [
  "ErrImagePull",
  "ImagePullBackOff",
  "CrashLoopBackOff",
  "CreateContainerConfigError",
  "InvalidImageName",
  "Unschedulable",
] as const;

/** One of {@linkcode FAIL_ON_REASONS}. */
export type FailOnReason = typeof FAIL_ON_REASONS[number];

/**
 * Parses a comma-separated list of reasons (case-insensitive; `all` for
 * every one).
 *
 * @throws {RangeError} naming the unknown reason and the valid ones.
 *
 * @example
 * ```ts
 * import { parseFailOn } from "@kstatus/kstatus";
 * parseFailOn("imagepullbackoff,ErrImagePull"); // ["ImagePullBackOff", "ErrImagePull"]
 * ```
 */
export function parseFailOn(text: string): FailOnReason[] {
  const out: FailOnReason[] = [];
  for (const word of text.split(",").map((w) => w.trim()).filter(Boolean)) {
    if (word.toLowerCase() === "all") return [...FAIL_ON_REASONS];
    const reason = FAIL_ON_REASONS.find((r) => r.toLowerCase() === word.toLowerCase());
    if (!reason) {
      throw new RangeError(
        `unknown --fail-on reason "${word}"; expected all or any of ${FAIL_ON_REASONS.join(",")}`,
      );
    }
    if (!out.includes(reason)) out.push(reason);
  }
  return out;
}
