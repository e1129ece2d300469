// Checks the Kubernetes manifests without a cluster: every document against the API schema of its
// kind (kubernetes-models), then what a schema cannot see: references between the documents, the
// probes and replica count the service relies on, and that every ANIMEREC_* variable set is one
// the image reads.
// usage: node check_manifests.js REPO_ROOT
const fs = require("fs");
const path = require("path");
const yaml = require("js-yaml");

const root = process.argv[2] || path.join(__dirname, "..", "..", "..");
const manifestDir = path.join(root, "packaging", "kubernetes");
const modelsByApiVersion = {
  "v1": require("kubernetes-models/v1"),
  "apps/v1": require("kubernetes-models/apps/v1"),
  "batch/v1": require("kubernetes-models/batch/v1"),
};

let failures = 0;
const fail = (message) => { console.log(`FAIL ${message}`); failures++; };
const ok = (message) => console.log(`ok   ${message}`);

const documents = [];
for (const file of fs.readdirSync(manifestDir).filter((f) => f.endsWith(".yaml")).sort()) {
  for (const doc of yaml.loadAll(fs.readFileSync(path.join(manifestDir, file), "utf8"))) {
    if (doc) documents.push({ file, doc });
  }
}
const named = (kind, name) => documents.find(({ doc }) => doc.kind === kind && doc.metadata.name === name);

for (const { file, doc } of documents) {
  const Model = (modelsByApiVersion[doc.apiVersion] || {})[doc.kind];
  if (!Model) { fail(`${file}: no schema for ${doc.apiVersion} ${doc.kind}`); continue; }
  try {
    new Model(doc).validate();
    ok(`${file}: ${doc.kind} ${doc.metadata.name} matches the ${doc.apiVersion} schema`);
  } catch (error) {
    fail(`${file}: ${doc.kind} ${doc.metadata.name}: ${error.message}`);
  }
}

// Variables the image reads: the entrypoint and the application's sources.
const readers = [path.join(root, "packaging", "docker", "entrypoint.sh")];
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((entry) => {
  const full = path.join(dir, entry.name);
  if (entry.isDirectory()) walk(full);
  else if (/\.(cpp|h)$/.test(entry.name)) readers.push(full);
});
walk(path.join(root, "app"));
const readText = readers.map((file) => fs.readFileSync(file, "utf8")).join("\n");
const isRead = (name) => new RegExp(`\\$\\{?${name}\\b|"${name}"`).test(readText);

const podSpecs = documents.filter(({ doc }) => doc.spec && doc.spec.template)
  .map(({ file, doc }) => ({ file, doc, pod: doc.spec.template.spec }));
for (const { file, doc, pod } of podSpecs) {
  for (const container of pod.containers) {
    const where = `${file}: ${doc.kind} ${doc.metadata.name}/${container.name}`;
    for (const source of container.envFrom || []) {
      if (source.configMapRef) {
        const map = named("ConfigMap", source.configMapRef.name);
        if (!map) { fail(`${where}: ConfigMap ${source.configMapRef.name} is not defined`); continue; }
        for (const key of Object.keys(map.doc.data || {}))
          if (key.startsWith("ANIMEREC_") && !isRead(key)) fail(`${where}: ${key} (from ${map.file}) is read by nothing in the image`);
      }
    }
    for (const variable of container.env || []) {
      if (variable.name.startsWith("ANIMEREC_") && !isRead(variable.name))
        fail(`${where}: ${variable.name} is read by nothing in the image`);
      const ref = variable.valueFrom && variable.valueFrom.secretKeyRef;
      if (ref && !ref.optional) {
        const secret = named("Secret", ref.name);
        const keys = secret ? Object.keys({ ...(secret.doc.data || {}), ...(secret.doc.stringData || {}) }) : [];
        if (!keys.includes(ref.key)) fail(`${where}: ${variable.name} needs Secret ${ref.name} key ${ref.key}, which is not defined`);
      }
    }
  }
}
ok(`environment variables checked against ${readers.length} files of the image`);

const deployment = named("Deployment", "animerec");
if (!deployment) fail("no Deployment animerec");
else {
  const spec = deployment.doc.spec;
  const container = spec.template.spec.containers[0];
  if (spec.replicas >= 2) ok(`Deployment animerec runs ${spec.replicas} replicas`);
  else fail(`Deployment animerec runs ${spec.replicas} replica(s); the shared-database setup wants 2+`);
  const probe = (name, expected) => {
    const got = container[name] && container[name].httpGet && container[name].httpGet.path;
    if (got === expected) ok(`${name} on ${expected}`); else fail(`${name} is ${got}, expected ${expected}`);
  };
  probe("readinessProbe", "/ready");
  probe("livenessProbe", "/health");
  const labels = spec.template.metadata.labels;
  const matches = (selector) => Object.entries(selector || {}).every(([k, v]) => labels[k] === v);
  if (!matches(spec.selector.matchLabels)) fail("the Deployment's selector does not match its pod labels");
  const service = named("Service", "animerec");
  if (!service) fail("no Service animerec");
  else {
    if (matches(service.doc.spec.selector)) ok("Service animerec selects the Deployment's pods");
    else fail("Service animerec does not select the Deployment's pods");
    const portNames = (container.ports || []).map((p) => p.name);
    const portNumbers = (container.ports || []).map((p) => p.containerPort);
    for (const port of service.doc.spec.ports) {
      const target = port.targetPort;
      if (portNames.includes(target) || portNumbers.includes(target)) ok(`Service port ${port.port} -> container port ${target}`);
      else fail(`Service port ${port.port} targets ${target}, which the container does not expose`);
    }
  }
}
const job = named("Job", "animerec-init");
const role = job && (job.doc.spec.template.spec.containers[0].env || []).find((v) => v.name === "ANIMEREC_ROLE");
if (role && role.value === "init") ok("Job animerec-init runs with ANIMEREC_ROLE=init");
else fail("Job animerec-init does not set ANIMEREC_ROLE=init");

console.log(`${documents.length} documents, ${failures} problem(s)`);
process.exit(failures ? 1 : 0);
