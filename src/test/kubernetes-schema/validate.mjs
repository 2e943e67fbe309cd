// Reads a JSON array of Kubernetes objects on stdin and checks each against the API's schema for its kind (types,
// required fields, enumerations), as generated from Kubernetes' OpenAPI by kubernetes-models. Prints one line per
// object, "ok Kind/name" or "invalid Kind/name: reason", and exits 1 when any is invalid or of an unknown kind.
import { readFileSync } from "node:fs";
import * as core from "kubernetes-models/v1";
import * as batch from "kubernetes-models/batch/v1";
import * as monitoring from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

const models = { v1: core, "batch/v1": batch, "monitoring.coreos.com/v1": monitoring };
let failed = false;
for (const object of JSON.parse(readFileSync(0, "utf8"))) {
  const name = `${object.kind}/${object.metadata?.name}`;
  const Model = models[object.apiVersion]?.[object.kind];
  if (!Model) {
    console.log(`invalid ${name}: no schema for ${object.apiVersion} ${object.kind}`);
    failed = true;
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`ok ${name}`);
  } catch (e) {
    console.log(`invalid ${name}: ${e.message.replace(/\s+/g, " ")}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
