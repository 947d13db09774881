/**
 * The default poller with its `Sync` events left out: most engine tests assert on the
 * sequence of resource updates alone (`Sync` itself is tested in tests/engine/sync_test.ts).
 *
 * @module
 */

import { createStatusPoller, type PollerEngine, type StatusPollerOptions } from "../../mod.ts";

/** The parts of a `PollerEngine` the tests use. */
export type TestPoller = Pick<PollerEngine, "poll" | "childKinds">;

/** `createStatusPoller(options)`, whose `poll()` yields every event but `Sync`. */
export function updatesPoller(options: StatusPollerOptions): TestPoller {
  const engine = createStatusPoller(options);
  return {
    childKinds: (gk) => engine.childKinds(gk),
    async *poll(ids, pollOptions) {
      for await (const event of engine.poll(ids, pollOptions)) {
        if (event.type !== "Sync") yield event;
      }
    },
  };
}
