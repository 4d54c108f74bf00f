import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO_ROOT = path.join(__dirname, '..', '..', '..', '..');

/** What the deploy test reads, by repository path. */
export const DEPLOY_FILES = {
  chart: path.join(REPO_ROOT, 'deploy', 'helm', 'notebook-gallery'),
  manifests: path.join(REPO_ROOT, 'deploy', 'kubernetes', 'notebook-gallery.yaml'),
  dockerfile: path.join(REPO_ROOT, 'deploy', 'container', 'Dockerfile'),
  guide: path.join(REPO_ROOT, 'docs', 'kubernetes.md'),
  /** Its appendix installs the server with `npm install -g`, as the image does. */
  jupyterhubGuide: path.join(REPO_ROOT, 'docs', 'jupyterhub.md')
};

/** A command's outcome, with stdout and stderr together for messages. */
export interface ICommandResult {
  status: number | null;
  stdout: string;
  output: string;
}

function run(command: string, args: string[], input?: string): ICommandResult {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, input, encoding: 'utf8', timeout: 60_000 });
  if (result.error) {
    throw result.error;
  }
  return { status: result.status, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}

/** A program in .venv (scripts/requirements.txt); throws, rather than skipping, when it is missing. */
function venvProgram(name: string): string {
  const program = path.join(REPO_ROOT, '.venv', 'bin', name);
  if (!fs.existsSync(program)) {
    throw new Error(`no ${program}: run "source scripts/lib.sh && ensure_venv" first`);
  }
  return program;
}

/**
 * Helm, where scripts/lib.sh's ensure_helm builds it (HELM there names the same path); throws, rather than
 * skipping, when it is missing.
 */
export function helmProgram(): string {
  const helm = path.join(
    process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
    'notebook-gallery',
    'helm-v4.3.2',
    'helm'
  );
  if (!fs.existsSync(helm)) {
    throw new Error(`no Helm at ${helm}: run "source scripts/lib.sh && ensure_helm" first`);
  }
  return helm;
}

/** `helm template notebook-gallery <chart> ARGS`: the release name the checked-in manifests are rendered with. */
export function helmTemplate(args: string[] = []): ICommandResult {
  return run(helmProgram(), ['template', 'notebook-gallery', DEPLOY_FILES.chart, ...args]);
}

/** scripts/lib.sh's render_kubernetes_manifests into `file`: the one way the checked-in manifests are made. */
export function renderManifests(file: string): ICommandResult {
  return run('bash', ['-c', 'source scripts/lib.sh && render_kubernetes_manifests "$1"', 'render', file]);
}

/** kubernetes-validate, strict (unknown fields fail too), against the API schemas of one Kubernetes version. */
export function validateManifests(file: string, kubernetesVersion: string): ICommandResult {
  return run(venvProgram('kubernetes-validate'), ['--strict', '--quiet', '-k', kubernetesVersion, file]);
}

/** Every YAML document in `text`, parsed by PyYAML (kubernetes-validate's own parser), empty ones left out. */
export function parseYamlDocuments(text: string): unknown[] {
  const script = 'import json, sys, yaml; print(json.dumps([d for d in yaml.safe_load_all(sys.stdin) if d]))';
  const result = run(venvProgram('python'), ['-c', script], text);
  if (result.status !== 0) {
    throw new Error(`not YAML: ${result.output}`);
  }
  return JSON.parse(result.stdout) as unknown[];
}
