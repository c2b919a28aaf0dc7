#!/usr/bin/env node
// Validate Kubernetes custom resources (one object per YAML file) against the
// schemas carried by the @kubernetes-models/* npm packages.
//
// Usage: node validate-custom-resources.mjs [--json] FILE...
//
// For each file the model class is picked by apiVersion + kind, the object is
// constructed and `.validate()` is called (the packages' ajv validators,
// generated from the projects' published API types). On top of that, fields
// the schema does not describe are reported as unknown fields, like
// `kubectl --validate=strict` / `kubernetes-validate --strict` do for built-in
// kinds: the generated validators themselves accept any extra property.
//
// A kind without a model is a failure ("unknown"), never a silent pass.
// Exit code: 0 all passed, 1 some file failed or is unknown, 2 usage error.
// With --json, one JSON object per file is printed on stdout:
//   {"file", "status": "pass"|"fail"|"unknown", "apiVersion", "kind",
//    "model", "errors": [string]}

import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// API group -> npm package (in the @kubernetes-models scope) that models it.
const GROUP_PACKAGES = {
  "argoproj.io": "argo-cd",
  "external-secrets.io": "external-secrets",
  "generators.external-secrets.io": "external-secrets",
  "monitoring.coreos.com": "prometheus-operator",
  "gateway.networking.k8s.io": "gateway-api",
  "gateway.networking.x-k8s.io": "gateway-api",
  "cert-manager.io": "cert-manager",
  "acme.cert-manager.io": "cert-manager",
  "awspca.cert-manager.io": "cert-manager",
  "policy.cert-manager.io": "cert-manager",
  "trust.cert-manager.io": "cert-manager",
  "trust-manager.io": "cert-manager",
};

const MAX_ERRORS_PER_FILE = 20;

function packageVersion(pkg) {
  try {
    const url = new URL(`./node_modules/@kubernetes-models/${pkg}/package.json`, import.meta.url);
    return JSON.parse(readFileSync(url, "utf8")).version;
  } catch {
    return "?";
  }
}

const modelCache = new Map();

// Returns { cls, model } or { error } for an apiVersion/kind pair.
async function findModel(apiVersion, kind) {
  const key = `${apiVersion} ${kind}`;
  if (modelCache.has(key)) return modelCache.get(key);
  const result = await loadModel(apiVersion, kind);
  modelCache.set(key, result);
  return result;
}

async function loadModel(apiVersion, kind) {
  const slash = apiVersion.indexOf("/");
  if (slash < 0) {
    return { error: `no model for ${apiVersion} ${kind}: core-group kinds are built-in Kubernetes kinds, not custom resources` };
  }
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const pkg = GROUP_PACKAGES[group];
  if (!pkg) {
    const known = Object.keys(GROUP_PACKAGES).join(", ");
    return { error: `no model for API group "${group}" (${apiVersion} ${kind}); custom resource groups with models: ${known}` };
  }
  if (!/^v[0-9]+[a-z0-9]*$/.test(version) || !/^[A-Za-z][A-Za-z0-9]*$/.test(kind)) {
    return { error: `malformed apiVersion/kind: ${apiVersion} ${kind}` };
  }
  const spec = `@kubernetes-models/${pkg}/${group}/${version}/${kind}`;
  let mod;
  try {
    mod = await import(spec);
  } catch (e) {
    if (e && (e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED" || e.code === "ERR_MODULE_NOT_FOUND")) {
      return { error: `no model for ${apiVersion} ${kind} in @kubernetes-models/${pkg}@${packageVersion(pkg)}` };
    }
    throw e;
  }
  const cls = mod[kind];
  if (typeof cls !== "function" || cls.apiVersion !== apiVersion || cls.kind !== kind ||
      typeof cls.prototype.validate !== "function") {
    return { error: `no model for ${apiVersion} ${kind} in @kubernetes-models/${pkg}@${packageVersion(pkg)} (${kind} is not a top-level resource there)` };
  }
  return { cls, model: `@kubernetes-models/${pkg}@${packageVersion(pkg)}` };
}

// YAML 1.1 like Kubernetes (yes/no/on/off are booleans), but timestamps stay
// strings as they do once Kubernetes converts YAML to JSON.
const YAML_OPTIONS = {
  version: "1.1",
  customTags: (tags) => tags.filter((t) => t.tag !== "tag:yaml.org,2002:timestamp"),
};

function parseSingleObject(text) {
  const docs = parseAllDocuments(text, YAML_OPTIONS);
  if (!Array.isArray(docs)) {
    // An empty stream parses to an EmptyStream object.
    throw new Error("file holds no YAML document");
  }
  const errors = docs.flatMap((d) => d.errors);
  if (errors.length) throw new Error(`YAML parse error: ${errors[0].message}`);
  const objects = docs.map((d) => d.toJS({ maxAliasCount: 1000 })).filter((o) => o !== null && o !== undefined);
  if (objects.length !== 1) {
    throw new Error(`expected exactly one Kubernetes object, found ${objects.length} YAML documents with content`);
  }
  const obj = objects[0];
  if (typeof obj !== "object" || Array.isArray(obj)) throw new Error("top-level YAML value is not a mapping");
  return obj;
}

function formatPath(instancePath) {
  if (!instancePath) return "(root)";
  return instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
}

function formatAjvErrors(err) {
  if (err && Array.isArray(err.errors) && err.errors.length) {
    const seen = new Set();
    const out = [];
    for (const e of err.errors) {
      let msg = e.message || e.keyword;
      if (e.keyword === "enum" && e.params && e.params.allowedValues) {
        msg += `: ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
      }
      const line = `${formatPath(e.instancePath)}: ${msg}`;
      if (!seen.has(line)) {
        seen.add(line);
        out.push(line);
      }
    }
    return out;
  }
  return [String(err && err.message ? err.message : err)];
}

// Wrap `root` in proxies that record which properties the schema validator
// looks at. An object the validator inspected property by property (without
// enumerating its keys, as it does for maps) and that holds a key it never
// looked at has a field the schema does not describe. Objects the validator
// never looked into (free-form / preserve-unknown-fields) are not judged.
function trackAccess(root) {
  const records = [];
  const wrap = (obj, path) => {
    const rec = { obj, path, read: new Set(), enumerated: false, touched: false, children: new Map() };
    records.push(rec);
    return new Proxy(obj, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof key !== "string") return value;
        rec.touched = true;
        rec.read.add(key);
        if (value !== null && typeof value === "object" && Object.prototype.hasOwnProperty.call(target, key)) {
          let child = rec.children.get(key);
          if (!child) {
            child = wrap(value, path.concat([key]));
            rec.children.set(key, child);
          }
          return child;
        }
        return value;
      },
      has(target, key) {
        if (typeof key === "string") {
          rec.touched = true;
          rec.read.add(key);
        }
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        rec.touched = true;
        rec.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
  };
  const proxy = wrap(root, []);
  const unknownFields = () => {
    const out = [];
    for (const rec of records) {
      if (!rec.touched || rec.enumerated || Array.isArray(rec.obj)) continue;
      for (const key of Object.keys(rec.obj)) {
        if (rec.path.length === 0 && (key === "apiVersion" || key === "kind")) continue;
        if (!rec.read.has(key)) out.push(rec.path.concat([key]).join("."));
      }
    }
    return out.sort();
  };
  return { proxy, unknownFields };
}

async function validateFile(file) {
  const result = { file, status: "fail", apiVersion: null, kind: null, model: null, errors: [] };
  let obj;
  try {
    obj = parseSingleObject(await readFile(file, "utf8"));
  } catch (e) {
    result.errors.push(e.message);
    return result;
  }
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !apiVersion || !kind) {
    result.errors.push("apiVersion and kind must be non-empty strings");
    return result;
  }
  result.apiVersion = apiVersion;
  result.kind = kind;

  const found = await findModel(apiVersion, kind);
  if (found.error) {
    result.status = "unknown";
    result.errors.push(found.error);
    return result;
  }
  result.model = found.model;
  const Cls = found.cls;

  // 1. The packaged validator, as a user of the model would call it.
  try {
    new Cls(obj).validate();
  } catch (e) {
    result.errors.push(...formatAjvErrors(e));
  }
  // 2. Same validator on a tracked copy of the object, to find fields the
  //    schema does not know about.
  const { proxy, unknownFields } = trackAccess(structuredClone(obj));
  try {
    Cls.prototype.validate.call(proxy);
  } catch {
    // Errors were already reported by step 1.
  }
  for (const path of unknownFields()) {
    result.errors.push(`${path}: unknown field (not in the ${kind} ${apiVersion} schema)`);
  }

  if (result.errors.length > MAX_ERRORS_PER_FILE) {
    const more = result.errors.length - MAX_ERRORS_PER_FILE;
    result.errors = result.errors.slice(0, MAX_ERRORS_PER_FILE).concat([`... and ${more} more`]);
  }
  if (result.errors.length === 0) result.status = "pass";
  return result;
}

async function main(argv) {
  const json = argv.includes("--json");
  const files = argv.filter((a) => a !== "--json");
  if (files.length === 0 || files.some((f) => f.startsWith("--"))) {
    console.error("usage: validate-custom-resources.mjs [--json] FILE...");
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    const r = await validateFile(file);
    if (r.status !== "pass") failed++;
    if (json) {
      process.stdout.write(JSON.stringify(r) + "\n");
    } else if (r.status === "pass") {
      console.log(`PASS ${file} (${r.apiVersion} ${r.kind}, ${r.model})`);
    } else {
      for (const e of r.errors) console.log(`${r.status === "unknown" ? "UNKNOWN" : "FAIL"} ${file}: ${e}`);
    }
  }
  if (!json) console.log(`validate-custom-resources: ${files.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`validate-custom-resources: internal error: ${err && err.stack ? err.stack : err}`);
    process.exitCode = 3;
  },
);
