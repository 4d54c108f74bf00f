import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONFIG_OPTIONS, loadConfig } from '../../src/config';
import {
  DEPLOY_FILES,
  helmTemplate,
  parseYamlDocuments,
  renderManifests,
  validateManifests
} from '../helpers/deployTools';

/** The Kubernetes versions whose API schemas the manifests must pass: the chart's kubeVersion floor and the newest. */
const KUBERNETES_VERSIONS = ['1.30.0', '1.37.0'];

interface IEnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface IProbe {
  httpGet: { path: string; port: string };
}
interface IContainer {
  ports: { name: string; containerPort: number }[];
  env: IEnvVar[];
  livenessProbe: IProbe;
  readinessProbe: IProbe;
  startupProbe: IProbe;
  securityContext: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean };
  volumeMounts: { name: string; mountPath: string }[];
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface IObject {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}
interface IDeploymentSpec {
  replicas: number;
  selector: { matchLabels: Record<string, string> };
  template: {
    metadata: { labels: Record<string, string> };
    spec: {
      securityContext: { runAsNonRoot: boolean; runAsUser: number; fsGroup: number };
      containers: IContainer[];
      volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[];
    };
  };
}

function objects(text: string): IObject[] {
  return parseYamlDocuments(text) as IObject[];
}

function one(all: IObject[], kind: string): IObject {
  const found = all.filter(object => object.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

function deploymentOf(all: IObject[]): IDeploymentSpec {
  return one(all, 'Deployment').spec as unknown as IDeploymentSpec;
}

/** The container's environment, secrets replaced by a placeholder as Kubernetes would fill them in. */
function environment(container: IContainer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env) {
    if (variable.valueFrom?.secretKeyRef) {
      env[variable.name] =
        variable.name === 'GALLERY_DATABASE_URL' ? 'postgres://gallery:secret@postgres:5432/gallery' : 'secret';
    } else {
      env[variable.name] = variable.value ?? '';
    }
  }
  return env;
}

const checkedIn = fs.readFileSync(DEPLOY_FILES.manifests, 'utf8');
let workDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-deploy-'));
});

afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('deploy/kubernetes/notebook-gallery.yaml', () => {
  it('is what the Helm chart renders with its default values', () => {
    const rendered = path.join(workDir, 'rendered.yaml');
    const result = renderManifests(rendered);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
    // A chart change without `render_kubernetes_manifests` leaves the plain manifests behind: this fails.
    expect(fs.readFileSync(rendered, 'utf8')).toBe(checkedIn);
  });

  it.each(KUBERNETES_VERSIONS)('passes the API schemas of Kubernetes %s, with no unknown field', version => {
    const result = validateManifests(DEPLOY_FILES.manifests, version);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it.each([
    ['a misspelt field', 'readinessProbe:', 'readynessProbe:', 'readynessProbe'],
    ['a wrong type', 'replicas: 2', 'replicas: two', "'two' is not of type 'integer'"],
    ['a missing required field', '      port: 8765\n', '\n', "'port' is a required property"]
  ])('fails the same check with %s', (_what, from, to, message) => {
    expect(checkedIn).toContain(from);
    const broken = path.join(workDir, 'broken.yaml');
    fs.writeFileSync(broken, checkedIn.replace(from, to));
    const result = validateManifests(broken, KUBERNETES_VERSIONS[0]);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(message);
  });

  it('runs two replicas behind one Service, probed on /livez and /readyz', () => {
    const all = objects(checkedIn);
    const deployment = deploymentOf(all);
    const service = one(all, 'Service').spec as {
      selector: Record<string, string>;
      ports: { port: number; targetPort: string }[];
    };
    expect(deployment.replicas).toBe(2);
    expect(deployment.template.metadata.labels).toMatchObject(deployment.selector.matchLabels);
    expect(deployment.template.metadata.labels).toMatchObject(service.selector);
    const [container] = deployment.template.spec.containers;
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8765 }]);
    expect(service.ports).toEqual([{ name: 'http', port: 8765, targetPort: 'http' }]);
    expect(container.startupProbe.httpGet).toEqual({ path: '/livez', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.resources.requests).toEqual({ cpu: '250m', memory: '512Mi' });
    expect(container.resources.limits).toEqual({ cpu: '2', memory: '1Gi' });
  });

  it('mounts one ReadWriteMany claim in every replica and takes its secrets from Secrets', () => {
    const all = objects(checkedIn);
    const deployment = deploymentOf(all);
    const claim = one(all, 'PersistentVolumeClaim');
    expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
    const data = deployment.template.spec.volumes.find(volume => volume.name === 'data');
    expect(data?.persistentVolumeClaim?.claimName).toBe(claim.metadata.name);
    const [container] = deployment.template.spec.containers;
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/notebook-gallery' });
    const secrets = container.env.filter(variable => variable.valueFrom);
    expect(secrets).toEqual([
      {
        name: 'JUPYTERHUB_API_TOKEN',
        valueFrom: { secretKeyRef: { name: 'hub', key: 'hub.services.gallery.apiToken' } }
      },
      {
        name: 'GALLERY_DATABASE_URL',
        valueFrom: { secretKeyRef: { name: 'notebook-gallery-database', key: 'url' } }
      }
    ]);
    expect(all.map(object => object.kind)).not.toContain('Secret');
  });

  it('runs as user 1000, never root, in a pod the hub lets reach its API', () => {
    const deployment = deploymentOf(objects(checkedIn));
    const pod = deployment.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
    expect(pod.containers[0].securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true
    });
    // z2jh's NetworkPolicy on the hub admits only pods with this label.
    expect(deployment.template.metadata.labels['hub.jupyter.org/network-access-hub']).toBe('true');
  });

  it('gives the server an environment it accepts: hub mode, listening on every address of the pod', () => {
    const [container] = deploymentOf(objects(checkedIn)).template.spec.containers;
    const env = environment(container);
    const known = new Set<string>(CONFIG_OPTIONS.map(option => option.env));
    const unknown = Object.keys(env).filter(name => name.startsWith('GALLERY_') && !known.has(name));
    expect(unknown).toEqual([]);
    const config = loadConfig({}, env);
    expect(config.hub).toMatchObject({
      prefix: '/services/gallery',
      apiUrl: 'http://hub:8081/hub/api',
      serviceName: 'gallery'
    });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 8765, dataDir: '/var/lib/notebook-gallery/data' });
    expect(config.readWorkers).toBe(2);
  });
});

describe('deploy/container/Dockerfile', () => {
  const dockerfile = fs.readFileSync(DEPLOY_FILES.dockerfile, 'utf8').replace(/\\\n/g, ' ');
  const instruction = (name: string): string[] =>
    dockerfile
      .split('\n')
      .filter(line => line.startsWith(`${name} `))
      .map(line => line.slice(name.length + 1).trim());

  it('agrees with the manifests on the port, the user and the data folder', () => {
    const deployment = deploymentOf(objects(checkedIn));
    const container = deployment.template.spec.containers[0];
    expect(instruction('EXPOSE')).toEqual([String(container.ports[0].containerPort)]);
    expect(instruction('USER')).toEqual([`${deployment.template.spec.securityContext.runAsUser}:1000`]);
    const mount = container.volumeMounts.find(volume => volume.name === 'data');
    expect(instruction('VOLUME')).toEqual([JSON.stringify([mount?.mountPath])]);
    const imageEnv = Object.fromEntries(
      instruction('ENV')
        .join(' ')
        .split(/\s+/)
        .map(pair => pair.split('='))
    ) as Record<string, string>;
    expect(imageEnv.GALLERY_DATA_DIR).toBe(environment(container).GALLERY_DATA_DIR);
    // The image alone, without the chart, runs a standalone server the server accepts, on the exposed port.
    expect(loadConfig({}, imageEnv)).toMatchObject({
      host: '0.0.0.0',
      port: container.ports[0].containerPort,
      dataDir: '/var/lib/notebook-gallery/data',
      hub: null
    });
  });

  it('installs the server from the npm registry alone, as the appendix of jupyterhub.md does', () => {
    // onnxruntime-node's postinstall fetches CUDA libraries from nuget.org on linux/x64 unless told to skip: a build
    // (or a hub machine) that reaches only the npm registry fails there. scripts/check-image showed it.
    const installMetadata = fs.readFileSync(require.resolve('onnxruntime-node/script/install-metadata.js'), 'utf8');
    expect(/'linux\/x64': \[([^\]]*)\]/.exec(installMetadata)?.[1]).toContain('cuda12');
    const [install] = instruction('RUN').filter(line => line.includes('npm install -g'));
    expect(install).toContain('ONNXRUNTIME_NODE_INSTALL=skip npm install -g');
    // better-sqlite3 compiles against the base image's headers rather than downloading them from nodejs.org.
    expect(install).toContain('npm_config_nodedir=/usr/local');
    const appendix = fs.readFileSync(DEPLOY_FILES.jupyterhubGuide, 'utf8').replace(/\\\n\s*/g, '');
    const commands = appendix.split('\n').filter(line => /^\S*\s*npm install -g \.\/dist/.test(line));
    expect(commands).toEqual([expect.stringMatching(/^ONNXRUNTIME_NODE_INSTALL=skip npm install -g /)]);
  });
});

describe('deploy/helm/notebook-gallery', () => {
  it('refuses several replicas without PostgreSQL, saying why', () => {
    const result = helmTemplate(['--set', 'database.secretName=']);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(
      'replicaCount above 1 needs PostgreSQL (database.secretName): replicas cannot share a SQLite file on a network volume'
    );
  });

  it('refuses several replicas on a volume only one node can mount', () => {
    const result = helmTemplate(['--set', 'persistence.accessMode=ReadWriteOnce']);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(
      'replicaCount above 1 needs persistence.accessMode ReadWriteMany: every replica mounts the same repositories'
    );
  });

  it('gives one replica on SQLite a ReadWriteOnce disk when asked', () => {
    const result = helmTemplate([
      '--set',
      'replicaCount=1',
      '--set',
      'database.secretName=',
      '--set',
      'persistence.accessMode=ReadWriteOnce'
    ]);
    expect(result.status).toBe(0);
    expect(one(objects(result.stdout), 'PersistentVolumeClaim').spec.accessModes).toEqual(['ReadWriteOnce']);
  });

  it('renders one replica on SQLite in an existing claim, with more options, that still passes the schemas', () => {
    const result = helmTemplate([
      '--set',
      'replicaCount=1',
      '--set',
      'database.secretName=',
      '--set',
      'persistence.existingClaim=gallery-nfs',
      '--set',
      'hub.groupRoles=instructors=editor:course-101',
      '--set',
      'extraEnv[0].name=GALLERY_LOG_LEVEL',
      '--set',
      'extraEnv[0].value=debug'
    ]);
    expect(result.status).toBe(0);
    const file = path.join(workDir, 'one-replica.yaml');
    fs.writeFileSync(file, result.stdout);
    for (const version of KUBERNETES_VERSIONS) {
      expect(validateManifests(file, version)).toMatchObject({ status: 0, output: '' });
    }
    const all = objects(result.stdout);
    expect(all.map(object => object.kind)).not.toContain('PersistentVolumeClaim');
    const deployment = deploymentOf(all);
    expect(deployment.replicas).toBe(1);
    expect(deployment.template.spec.volumes).toContainEqual({
      name: 'data',
      persistentVolumeClaim: { claimName: 'gallery-nfs' }
    });
    const env = environment(deployment.template.spec.containers[0]);
    expect(env.GALLERY_DATABASE_URL).toBeUndefined();
    expect(loadConfig({}, env)).toMatchObject({
      logLevel: 'debug',
      hubGroupRoles: [{ hubGroup: 'instructors', role: 'editor', group: 'course-101' }]
    });
  });
});

describe('docs/kubernetes.md', () => {
  interface IZ2jhValues {
    hub: {
      services: Record<string, { url: string; apiToken?: string }>;
      loadRoles: Record<string, { scopes: string[]; services?: string[] }>;
      config: { Spawner: { oauth_client_allowed_scopes: string[] } };
    };
  }

  it("registers the gallery with the hub at the manifests' Service, with the scopes the server uses", () => {
    const guide = fs.readFileSync(DEPLOY_FILES.guide, 'utf8');
    const block = /<!-- z2jh-values -->\s*```yaml\n([\s\S]*?)```/.exec(guide);
    expect(block).not.toBeNull();
    const [values] = parseYamlDocuments(block![1]) as IZ2jhValues[];
    const all = objects(checkedIn);
    const service = one(all, 'Service');
    const port = (service.spec.ports as { port: number }[])[0].port;
    expect(Object.keys(values.hub.services)).toEqual(['gallery']);
    expect(values.hub.services.gallery.url).toBe(`http://${service.metadata.name}:${port}`);
    // z2jh generates the token and keeps it in its hub Secret, which the Deployment reads.
    expect(values.hub.services.gallery.apiToken).toBeUndefined();
    const access = 'access:services!service=gallery';
    expect(values.hub.loadRoles.user.scopes).toEqual(['self', access]);
    expect(values.hub.config.Spawner.oauth_client_allowed_scopes).toEqual([access]);
    const serviceRoles = Object.values(values.hub.loadRoles).filter(role => role.services?.includes('gallery'));
    // GET /users/<name> for the admin flag; GET /groups with members for the group sync (src/hub/hubApiClient.ts).
    expect(serviceRoles.flatMap(role => role.scopes).sort()).toEqual(['list:groups', 'read:groups', 'read:users']);
  });
});
