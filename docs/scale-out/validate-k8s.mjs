// Offline validation of Kubernetes manifests, for clusters that are not at hand (kubectl's own --dry-run needs an
// API server). Run through validate-k8s.sh, which installs the two npm packages it uses. Each document is checked
// twice: against the JSON schema of its kind (kubernetes-models: types, enums, required fields), and field by
// field against the Kubernetes OpenAPI models of @kubernetes/client-node, which catches a misspelt or unknown field
// (as kubectl's strict validation does). Prints one line per document; exits 1 if any is invalid.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
// Only the generated models: the package's main entry also loads an HTTP client that needs a newer node.
import * as k8s from "@kubernetes/client-node/dist/gen/models/all.js";

const problems = [];

// Walks an object against a client-node model ("V1Job", "Array<V1Container>", "{ [key: string]: string; }", ...).
function unknownFields(value, type, path, out) {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) out.push(`${path}: expected a list`);
    else value.forEach((v, i) => unknownFields(v, array[1], `${path}[${i}]`, out));
    return;
  }
  if (type.startsWith("{ [key: string]:")) {
    if (typeof value !== "object" || Array.isArray(value)) out.push(`${path}: expected a map`);
    return;
  }
  const model = k8s[type];
  if (!model || typeof model.getAttributeTypeMap !== "function") return; // string, number, IntOrString, Date, ...
  if (typeof value !== "object" || Array.isArray(value)) {
    out.push(`${path}: expected an object (${type})`);
    return;
  }
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, v] of Object.entries(value)) {
    if (!fields.has(key)) out.push(`${path}.${key}: unknown field in ${type}`);
    else unknownFields(v, fields.get(key), `${path}.${key}`, out);
  }
}

let invalid = 0;
for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      console.log(`${file}: YAML error: ${doc.errors.map((e) => e.message).join("; ")}`);
      invalid++;
      continue;
    }
    const obj = doc.toJS();
    if (obj === null) continue;
    const name = `${file}: ${obj.kind}/${obj.metadata?.name}`;
    const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
    const errors = [];
    try {
      const mod = await import(`kubernetes-models/${group ? group + "/" : ""}${version}/${obj.kind}`);
      new mod[obj.kind](obj).validate();
    } catch (e) {
      errors.push(e.message);
    }
    // client-node names a kind's model by its version alone: V1Job (batch/v1), V1PersistentVolumeClaim (v1).
    const modelName = `${version.charAt(0).toUpperCase()}${version.slice(1)}${obj.kind}`;
    const model = k8s[modelName] ? modelName : null;
    if (model) unknownFields(obj, model, obj.kind, errors);
    else errors.push(`no OpenAPI model for ${obj.apiVersion} ${obj.kind} (tried ${modelName})`);
    if (errors.length > 0) {
      invalid++;
      console.log(`${name}: INVALID\n  ${errors.join("\n  ")}`);
    } else {
      console.log(`${name}: valid (schema of ${obj.apiVersion} ${obj.kind}; every field known to ${model})`);
    }
  }
}
process.exit(invalid > 0 ? 1 : 0);
