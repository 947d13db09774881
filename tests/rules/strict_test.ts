/**
 * Tests of the strict checks (`--rules builtin:strict`, lib/rules/builtin/strict/): they are
 * asked only once the other layers say Current, their verdict then wins, and they never make
 * an object Current.
 *
 * @module
 */

import assert from "node:assert/strict";
import { createRuleSet, type KubeObject, parseRuleFile, STRICT_RULES } from "../../mod.ts";

const strictSet = () => createRuleSet({ strict: STRICT_RULES });

const lbService = (status: unknown): KubeObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "web", namespace: "shop" },
  spec: { type: "LoadBalancer", clusterIP: "10.96.0.9" },
  status,
});

Deno.test("strict: a LoadBalancer Service without an address is InProgress, with one Current", () => {
  const set = strictSet();
  const pending = set.compute(lbService({ loadBalancer: {} }));
  assert.equal(pending.status, "InProgress");
  assert.equal(pending.rule, "strict:v1/Service");
  assert.equal(pending.message, "waiting for the load balancer to get an address");
  const ready = set.compute(lbService({ loadBalancer: { ingress: [{ ip: "203.0.113.1" }] } }));
  assert.equal(ready.status, "Current");
  // Passing the check leaves the verdict, and its rule, to the contract.
  assert.equal(ready.rule, "contract:Service");
});

Deno.test("strict: off by default, the contract calls the same Service Current", () => {
  const set = createRuleSet({});
  assert.equal(set.compute(lbService({ loadBalancer: {} })).status, "Current");
  assert.equal(set.strictFor("v1", "Service"), undefined);
  assert.equal(strictSet().strictFor("v1", "Service")?.id, "strict:v1/Service");
});

Deno.test("strict: never asked when the other rules do not say Current", () => {
  const set = strictSet();
  // A PVC that is not Bound is the contract's InProgress; the check (which says Current for
  // an object with no resize going on) does not turn it Current.
  const pvc = set.compute({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "data", namespace: "shop" },
    status: { phase: "Pending" },
  });
  assert.equal(pvc.status, "InProgress");
  assert.equal(pvc.rule, "contract:PersistentVolumeClaim");
});

Deno.test("strict: a bound PVC being resized is InProgress; an infeasible resize Failed", () => {
  const set = strictSet();
  const pvc = (statuses: Record<string, string>) =>
    set.compute({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: "shop" },
      status: { phase: "Bound", allocatedResourceStatuses: statuses },
    });
  assert.equal(pvc({ storage: "NodeResizePending" }).status, "InProgress");
  assert.equal(pvc({ storage: "ControllerResizeInfeasible" }).status, "Failed");
  assert.equal(pvc({}).status, "Current");
});

Deno.test("strict: a CronJob whose last job did not succeed is Failed", () => {
  const set = strictSet();
  const cron = (status: unknown) =>
    set.compute({
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "nightly", namespace: "jobs", generation: 1 },
      spec: { schedule: "0 9 * * *" },
      status,
    });
  const failed = cron({
    lastScheduleTime: "2025-05-13T09:00:00Z",
    lastSuccessfulTime: "2025-05-12T09:00:41Z",
  });
  assert.equal(failed.status, "Failed");
  assert.equal(failed.rule, "strict:batch/CronJob");
  assert.equal(
    cron({ lastScheduleTime: "2025-05-13T09:00:00Z", lastSuccessfulTime: "2025-05-13T09:00:30Z" })
      .status,
    "Current",
  );
});

Deno.test("strict: an Ingress waits for an address", () => {
  const set = strictSet();
  const ing = (status: unknown) =>
    set.compute({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "web", namespace: "shop", generation: 1 },
      spec: { ingressClassName: "nginx" },
      status,
    });
  assert.equal(ing({ loadBalancer: {} }).status, "InProgress");
  assert.equal(
    ing({ loadBalancer: { ingress: [{ hostname: "lb.example.com" }] } }).status,
    "Current",
  );
});

Deno.test("strict: a user rule's Current is checked too", () => {
  const rules = parseRuleFile(
    '- apiVersion: v1\n  kind: Service\n  current: "true"\n',
    "mine.yaml",
  );
  const set = createRuleSet({ rules, strict: STRICT_RULES });
  const r = set.compute(lbService({}));
  assert.equal(r.status, "InProgress");
  assert.equal(r.rule, "strict:v1/Service");
});
