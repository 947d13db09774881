/**
 * End-to-end: health rules against the local control plane. A CRD with a status subresource,
 * its custom resource applied, and this test playing the controller: it writes the status step
 * by step while `kstatus wait` watches, judged by a built-in pack rule (cert-manager's
 * Certificate) and by a user's `--rules` file.
 *
 * @module
 */

import assert from "node:assert/strict";
import { apply, explain, inNamespace, kstatus, manifestFile } from "./cluster.ts";
import { stream } from "./manifests.ts";
import { background, reported, setStatus, until, withCrd } from "./controller.ts";

const FAST = ["--interval", "500ms", "--timeout", "60s", "-o", "json"];

const NOW = "2026-12-01T10:00:00Z";

function certificate(name: string) {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name },
    spec: { secretName: `${name}-tls`, dnsNames: [`${name}.example.test`] },
  };
}

Deno.test("e2e rules: a Certificate goes InProgress -> Current by the built-in pack", async () => {
  await withCrd("cert-manager.io", "Certificate", "certificates", async () => {
    await inNamespace("pack", async (ns) => {
      await apply(ns, stream(certificate("web")));
      const file = await manifestFile(stream(certificate("web")));
      const wait = background(["wait", "-f", file, "-n", ns, ...FAST]);
      // No status yet: the generic rule would call it Current; the pack waits.
      await until(wait.output, "web", "InProgress");
      await setStatus(ns, "certificate/web", {
        conditions: [
          {
            type: "Issuing",
            status: "True",
            reason: "DoesNotExist",
            message: "Issuing certificate as Secret does not exist",
            lastTransitionTime: NOW,
          },
          {
            type: "Ready",
            status: "False",
            reason: "DoesNotExist",
            message: "Issuing certificate as Secret does not exist",
            lastTransitionTime: NOW,
            observedGeneration: 1,
          },
        ],
      });
      await new Promise((r) => setTimeout(r, 1000));
      await setStatus(ns, "certificate/web", {
        conditions: [{
          type: "Ready",
          status: "True",
          reason: "Ready",
          message: "Certificate is up to date and has not expired",
          lastTransitionTime: NOW,
          observedGeneration: 1,
        }],
        notAfter: "2027-03-01T10:00:00Z",
      });
      const r = await wait.done;
      assert.equal(r.code, 0, explain(r));
      const lines = reported(r, "web");
      assert.equal(lines[0].status, "InProgress", explain(r));
      assert.equal(lines.at(-1)!.status, "Current", explain(r));
      assert.equal(lines.at(-1)!.message, "Certificate is up to date and has not expired");
      assert.ok(lines.every((l) => l.rule === "builtin:cert-manager.io/Certificate"), explain(r));
    });
  });
});

Deno.test("e2e rules: a Certificate that failed to issue is Failed; --fail-fast exits 1", async () => {
  await withCrd("cert-manager.io", "Certificate", "certificates", async () => {
    await inNamespace("pack-fail", async (ns) => {
      await apply(ns, stream(certificate("api")));
      const wait = background(["wait", "certificate/api", "-n", ns, "--fail-fast", ...FAST]);
      await until(wait.output, "api", "InProgress");
      await setStatus(ns, "certificate/api", {
        lastFailureTime: NOW,
        failedIssuanceAttempts: 1,
        conditions: [
          {
            type: "Issuing",
            status: "False",
            reason: "Failed",
            message: "The certificate request has failed to complete and will be retried: " +
              "issuer not ready",
            lastTransitionTime: NOW,
          },
          {
            type: "Ready",
            status: "False",
            reason: "DoesNotExist",
            message: "Issuing certificate as Secret does not exist",
            lastTransitionTime: NOW,
          },
        ],
      });
      const r = await wait.done;
      assert.equal(r.code, 1, explain(r));
      assert.equal(reported(r, "api").at(-1)!.status, "Failed", explain(r));
    });
  });
});

Deno.test("e2e rules: a --rules file judges a custom kind, to Current and to Failed", async () => {
  const group = `rules-${Date.now().toString(36)}.example.test`;
  const rules = await manifestFile(`# the test's own rule
- apiVersion: ${group}/v1
  kind: Gadget
  inProgress: "status.phase == 'Provisioning'"
  failed: "status.phase == 'Broken'"
  current: "status.phase == 'Ready'"
  message: "'gadget is ' + status.phase"
`);
  await withCrd(group, "Gadget", "gadgets", async () => {
    await inNamespace("rules-file", async (ns) => {
      const gadget = (name: string) => ({
        apiVersion: `${group}/v1`,
        kind: "Gadget",
        metadata: { name },
        spec: { size: 1 },
      });
      await apply(ns, stream(gadget("good"), gadget("bad")));
      const good = background(["wait", "gadget/good", "-n", ns, "--rules", rules, ...FAST]);
      const bad = background([
        "wait",
        "gadget/bad",
        "-n",
        ns,
        "--rules",
        rules,
        "--fail-fast",
        ...FAST,
      ]);
      await until(good.output, "good", "InProgress");
      await until(bad.output, "bad", "InProgress");
      await setStatus(ns, "gadget/good", { phase: "Provisioning" });
      await setStatus(ns, "gadget/bad", { phase: "Provisioning" });
      await new Promise((r) => setTimeout(r, 1000));
      await setStatus(ns, "gadget/good", { phase: "Ready" });
      await setStatus(ns, "gadget/bad", { phase: "Broken" });
      const [g, b] = await Promise.all([good.done, bad.done]);
      assert.equal(g.code, 0, explain(g));
      const last = reported(g, "good").at(-1)!;
      assert.equal(last.status, "Current", explain(g));
      assert.equal(last.message, "gadget is Ready");
      assert.equal(last.rule, `file:${rules}#1`);
      assert.equal(b.code, 1, explain(b));
      assert.equal(reported(b, "bad").at(-1)!.message, "gadget is Broken", explain(b));
      // The same object without the rules file: the generic rule calls it Current.
      const generic = await kstatus(["status", "gadget/bad", "-n", ns, "-o", "json"]);
      assert.equal(reported(generic, "bad").at(-1)!.status, "Current", explain(generic));
    });
  });
});

Deno.test("e2e rules: --rules builtin:strict holds a LoadBalancer Service until it has an address", async () => {
  await inNamespace("rules-strict", async (ns) => {
    await apply(
      ns,
      stream({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "web" },
        spec: { type: "LoadBalancer", ports: [{ port: 80 }], selector: { app: "web" } },
      }),
    );
    // The contract alone calls it Current at once.
    const plain = await kstatus(["wait", "svc/web", "-n", ns, ...FAST]);
    assert.equal(plain.code, 0, explain(plain));
    // With the strict checks it waits, and says before the wait why it may never end here.
    const strict = background(["wait", "svc/web", "-n", ns, "--rules", "builtin:strict", ...FAST]);
    await until(strict.output, "web", "InProgress");
    // This test is the load-balancer controller: it gives the Service its address.
    await setStatus(ns, "service/web", { loadBalancer: { ingress: [{ ip: "203.0.113.9" }] } });
    const r = await strict.done;
    assert.equal(r.code, 0, explain(r));
    assert.match(r.stderr, /no Service of type LoadBalancer in this cluster has an address/);
    const lines = reported(r, "web");
    assert.equal(lines[0].message, "waiting for the load balancer to get an address", explain(r));
    assert.equal(lines[0].rule, "strict:v1/Service");
    assert.equal(lines.at(-1)!.status, "Current", explain(r));
  });
});
