// needs a cluster
import {
  cachingClusterReaderFactory,
  createStatusPoller,
  identifiersFromObjects,
  loadManifests,
  observe,
  ResourceStatusCollector,
} from "./mod.ts";
import { createClient, loadClientConfig } from "./lib/kube/mod.ts";

const config = await loadClientConfig({});
const client = createClient(config);
const objects = (await loadManifests(["app.yaml"])).map((m) => m.object);
const ids = await identifiersFromObjects(objects, {
  defaultNamespace: config.namespace,
  mapper: client.mapper,
});
const engine = createStatusPoller({
  mapper: client.mapper,
  clusterReaderFactory: cachingClusterReaderFactory(client),
});
const signal = AbortSignal.timeout(5 * 60_000);
const collector = new ResourceStatusCollector(ids);
for await (
  const e of observe(engine.poll(ids, { pollInterval: 2000, signal }), collector, "current")
) {
  if (e.type === "ResourceUpdate") console.log(e.resource.identifier.name, e.resource.status);
}
client.close();
