// Validates Kubernetes manifests (multi-document YAML, e.g. `helm template` output) against the
// Kubernetes API schemas of the npm package kubernetes-models and the prometheus-operator CRD schemas
// of @kubernetes-models/prometheus-operator (both compile the upstream OpenAPI/CRD schemas into
// validators). Every document must be a kind these packages know, with metadata.name, and valid.
//
//   node validate.mjs FILE...   (or - for standard input)
// Prints one line per object ("ok Kind/name" or "INVALID Kind/name: why") and exits 1 on any problem,
// 2 on a usage error.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// apiVersion group -> the package that has its models; the core group ("v1") is kubernetes-models/v1.
const PACKAGES = { "monitoring.coreos.com": "@kubernetes-models/prometheus-operator" };

async function modelFor(apiVersion, kind) {
  const slash = apiVersion.lastIndexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const pkg = PACKAGES[group] ?? "kubernetes-models";
  const path = group === "" ? `${pkg}/${version}/${kind}` : `${pkg}/${group}/${version}/${kind}`;
  if (!/^[A-Za-z0-9./@-]+$/.test(path)) return null;
  try {
    return (await import(path))[kind] ?? null;
  } catch (e) {
    if (e.code === "ERR_MODULE_NOT_FOUND" || e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") return null;
    throw e;
  }
}

async function check(source, text) {
  let problems = 0;
  let objects = 0;
  const bad = (what, why) => {
    problems++;
    console.log(`INVALID ${source}: ${what}: ${why}`);
  };
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) {
      bad("YAML", doc.errors.map((e) => e.message).join("; "));
      continue;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue; // an empty document (a template that rendered nothing)
    objects++;
    if (typeof obj !== "object" || Array.isArray(obj)) {
      bad(`document ${objects}`, "not an object");
      continue;
    }
    const what = `${obj.kind ?? "?"}/${obj.metadata?.name ?? "?"}`;
    if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") {
      bad(what, "apiVersion and kind must be strings");
      continue;
    }
    if (typeof obj.metadata?.name !== "string" || obj.metadata.name === "") {
      bad(what, "metadata.name is missing");
      continue;
    }
    const Model = await modelFor(obj.apiVersion, obj.kind);
    if (!Model) {
      bad(what, `no schema for ${obj.apiVersion} ${obj.kind} (not a Kubernetes or prometheus-operator kind)`);
      continue;
    }
    try {
      new Model(obj).validate();
      console.log(`ok ${source}: ${obj.apiVersion} ${what}`);
    } catch (e) {
      bad(`${obj.apiVersion} ${what}`, e.message);
    }
  }
  if (objects === 0) bad("input", "no objects");
  return problems;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE... (- for standard input)");
  process.exit(2);
}
let problems = 0;
for (const f of files) {
  problems += await check(f === "-" ? "stdin" : f, readFileSync(f === "-" ? 0 : f, "utf8"));
}
process.exit(problems ? 1 : 0);
