// Checks the GitHub Actions workflows without GitHub: every file against SchemaStore's
// github-workflow.json schema (compiled into @action-validator/core: the npm packages that ship
// the schema as a file carry a 2022 copy that refuses `runs-on: ubuntu-24.04`), then what a schema
// cannot see: the repository scripts each `run:` calls exist (and are executable when run
// directly), a job builds and runs the image with the product brief's two commands as written,
// every publishing step is guarded by a version-tag condition, and the job running .ci/run is on
// the stock Ubuntu 24.04 runner without a container.
// usage: node check_workflows.js REPO_ROOT [WORKFLOW_DIR]   (default REPO_ROOT/.github/workflows)
const fs = require("fs");
const path = require("path");
const yaml = require("js-yaml");
const { validateWorkflow } = require("@action-validator/core");

const root = path.resolve(process.argv[2] || path.join(__dirname, "..", ".."));
const workflowDir = path.resolve(process.argv[3] || path.join(root, ".github", "workflows"));
const briefBuild = "docker build -t recomendation-anime .";
const briefRun = "docker run -p 8000:8000 recomendation-anime";
const tagCondition = /startsWith\(\s*github\.ref\s*,\s*'refs\/tags\/v'\s*\)|github\.ref_type\s*==\s*'tag'/;

let failures = 0;
const fail = (message) => { console.log(`FAIL ${message}`); failures++; };
const ok = (message) => console.log(`ok   ${message}`);

// The schema validator reports a failed oneOf with the errors of every branch (a job is either
// steps on a runner or a reusable workflow call): keep the branch that came closest.
const schemaMessages = (errors) => errors.flatMap((error) => {
  if (!error.states) return [`${error.path || ""} ${error.title}${error.detail ? `: ${error.detail}` : ""}`.trim()];
  const branches = error.states.map((state) => schemaMessages(state.errors));
  return branches.reduce((best, branch) => (branch.length < best.length ? branch : best));
});

// The commands a shell script runs, as word lists: quoted strings, comments, redirections and
// keywords removed, split on ; & && || | ( ) $( and backquotes. Enough for the scripts in our
// workflows; a command hidden in a quoted string is not seen.
const keywords = new Set(["if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done",
  "case", "esac", "in", "!", "{", "}", "time", "sudo", "exec", "env"]);
const commandsOf = (script) => {
  const text = script.replace(/\\\n/g, " ").replace(/'[^']*'/g, "''").replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const commands = [];
  for (const line of text.split("\n")) {
    for (const part of line.replace(/(^|\s)#.*$/, "").split(/&&|\|\||\$\(|[;|&()`]/)) {
      const words = part.trim().split(/\s+/).filter((w) => w && !/^\d*[<>]/.test(w));
      while (words.length && (keywords.has(words[0]) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]))) words.shift();
      if (words.length) commands.push(words);
    }
  }
  return commands;
};
const isRepoPath = (word) => word.includes("/") && !/^[/$~-]/.test(word) && !word.includes(":");

const files = fs.existsSync(workflowDir)
  ? fs.readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
if (files.length === 0) fail(`no workflow files in ${workflowDir}`);

const briefJobs = [];
let publishingSteps = 0;
for (const file of files) {
  const text = fs.readFileSync(path.join(workflowDir, file), "utf8");
  const schemaErrors = schemaMessages(validateWorkflow(text).errors);
  if (schemaErrors.length === 0) ok(`${file}: matches the GitHub workflow schema`);
  else schemaErrors.forEach((message) => fail(`${file}: schema: ${message}`));

  let workflow;
  try {
    workflow = yaml.load(text);
  } catch (error) {
    fail(`${file}: not YAML: ${error.message}`);
    continue;
  }
  if (!workflow || typeof workflow.jobs !== "object") { fail(`${file}: no jobs`); continue; }
  const tagPatterns = ((workflow.on || {}).push || {}).tags || [];

  for (const [jobName, job] of Object.entries(workflow.jobs)) {
    const steps = Array.isArray(job.steps) ? job.steps : [];
    const where = (step, index) => `${file}: job ${jobName}, step "${step.name || step.uses || index + 1}"`;
    let buildStep = -1;
    let runStep = -1;
    steps.forEach((step, index) => {
      if (typeof step.run !== "string") return;
      const directory = path.join(root, step["working-directory"] || (job.defaults && job.defaults.run &&
        job.defaults.run["working-directory"]) || ".");
      for (const words of commandsOf(step.run)) {
        const shell = words[0] === "bash" || words[0] === "sh";
        const script = shell ? words.slice(1).find((w) => !w.startsWith("-")) : words[0];
        if (shell && words.includes("-c")) continue;
        if (!script || !isRepoPath(script) && !(shell && !/^[/$~]/.test(script))) continue;
        const full = path.join(directory, script);
        if (!fs.existsSync(full) || !fs.statSync(full).isFile()) {
          fail(`${where(step, index)}: runs ${script}, which does not exist`);
        } else if (!shell && (fs.statSync(full).mode & 0o111) === 0) {
          fail(`${where(step, index)}: runs ${script} directly, but it is not executable`);
        } else {
          ok(`${file}: job ${jobName} runs ${script}`);
        }
      }
      // The brief's commands as written: a line that is exactly the build, and a line that starts
      // with the run command, followed only by redirections or `&`.
      const lines = step.run.split("\n").map((line) => line.trim());
      if (lines.includes(briefBuild)) buildStep = index;
      if (lines.some((line) => line === briefRun || (line.startsWith(`${briefRun} `) &&
        /^(\s*(\d*>>?|&>)\s*\S+|\s*\d*>&\d+)*\s*&?\s*$/.test(line.slice(briefRun.length))))) runStep = index;
    });
    if (buildStep >= 0 && runStep > buildStep) briefJobs.push(`${file}: job ${jobName}`);

    const publishes = (step) => (typeof step.run === "string" && /\bdocker\s+(push|login)\b/.test(step.run)) ||
      (typeof step.uses === "string" && /^docker\/(login-action|build-push-action)@/.test(step.uses));
    steps.forEach((step, index) => {
      if (!publishes(step)) return;
      publishingSteps++;
      const condition = `${job.if || ""} ${step.if || ""}`;
      if (tagCondition.test(condition)) ok(`${where(step, index)}: publishes on version tags only`);
      else fail(`${where(step, index)}: publishes without a tag condition (if: startsWith(github.ref, 'refs/tags/v'))`);
      if (!tagPatterns.some((pattern) => pattern.startsWith("v"))) fail(`${file}: publishes, but on.push.tags has no v* pattern`);
      const permissions = job.permissions || workflow.permissions || {};
      if (permissions.packages !== "write") fail(`${file}: job ${jobName} publishes without permissions: packages: write`);
    });

    if (steps.some((step) => typeof step.run === "string" && commandsOf(step.run).some((w) => w.includes(".ci/run")))) {
      if (job["runs-on"] === "ubuntu-24.04" && !job.container) ok(`${file}: job ${jobName} runs .ci/run on ubuntu-24.04, no container`);
      else fail(`${file}: job ${jobName} runs .ci/run but not on ubuntu-24.04 without a container`);
    }
  }
}

if (briefJobs.length) ok(`the brief's two commands, in order, as written: ${briefJobs.join(", ")}`);
else fail(`no job runs "${briefBuild}" and then "${briefRun}" as written`);
if (publishingSteps === 0) fail("no step publishes the image");

console.log(`${files.length} workflow file(s), ${failures} problem(s)`);
process.exit(failures ? 1 : 0);
