// Imports the kstatus library entry given as a file URL and prints one line per object of a small
// manifest: it parses YAML (the npm dependency) and computes statuses. Plain JavaScript, so that
// Deno, Bun and Node all run this same file.
import process from "node:process";

const entry = process.argv[2];
if (!entry) throw new Error("usage: library_smoke.mjs <file URL of mod.ts or the Node bundle>");
const { computeStatus, formatIdentifier, identifierOf, parseManifests } = await import(entry);

const manifest = `
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: default}
status:
  phase: Running
  conditions: [{type: Ready, status: "True"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop, generation: 2}
spec: {replicas: 3}
status: {observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 1, availableReplicas: 1}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec: {completions: 1, backoffLimit: 0}
status:
  failed: 1
  conditions: [{type: Failed, status: "True", reason: BackoffLimitExceeded, message: Job has reached the specified backoff limit}]
`;

for (const { object, line } of parseManifests(manifest, "smoke.yaml")) {
  const { status, message } = computeStatus(object);
  console.log(`${line} ${formatIdentifier(identifierOf(object))} ${status}: ${message}`);
}
