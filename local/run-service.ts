// Runs the App Runner service of a synthesized stack on 127.0.0.1 the way App Runner would:
// the image's build context from the cloud assembly, its start command (ENTRYPOINT and CMD),
// the environment of its Dockerfile and then the template's (a table reference becomes a local
// DynamoDB table), PORT, as many CPUs as the instance has, and the template's health check with
// its interval and thresholds deciding when it is up. LOCAL_RUN_LIMITS lists what it cannot check.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { cx_api as cxapi } from 'aws-cdk-lib';
import { ServerProcess, TableDefinition, createTable, freePort, request, startDynalite } from './process';
import { Source } from '../src';
import { imageCommand, imageEnvironment, imageWorkdir, readDockerfile } from './dockerfile';
import { DEFAULT_PORT, HEALTH_CHECK_DEFAULTS } from '../src/private/app-runner-defaults';

export interface LocalRunOptions {
  /** Port to give the service (as PORT) and to probe. Default: the template's port. */
  readonly port?: number;
  /** A DynamoDB endpoint to use. Default: an embedded dynalite with the template's tables. */
  readonly dynamoDbEndpoint?: string;
  /**
   * Where the image's production dependencies are installed (the image runs `npm ci` when it
   * is built; the local run uses an installed copy). Default: the sample server's.
   */
  readonly nodeModules?: string;
  /** Extra environment for the process (credentials, Region). */
  readonly env?: Record<string, string>;
  /**
   * Shorter health-check timing than the template's (tests; an Express service's load balancer
   * needs 5 passes 30 s apart).
   * @default - the template's
   */
  readonly healthCheckTiming?: Partial<Pick<HealthCheckSettings, 'intervalSeconds' | 'timeoutSeconds' | 'healthyThreshold' | 'unhealthyThreshold'>>;
  /**
   * The `HOST` given to the server: servers that honour it (the sample server does) then serve
   * this machine only. `''` gives none, as App Runner gives none; the local run then checks, in
   * the socket table, that the server listens on every address, and fails as App Runner's health
   * check would when it listens on a loopback address only.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /** Aborting it while the service starts stops the service and rejects. */
  readonly signal?: AbortSignal;
}

export interface HealthCheckSettings {
  readonly protocol: string;
  readonly path: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

export interface LocalService {
  readonly url: string;
  readonly port: number;
  readonly server: ServerProcess;
  readonly healthCheck: HealthCheckSettings;
  readonly environment: Record<string, string>;
  stop(): Promise<void>;
}

/** The one AWS::AppRunner::Service of the stack, and what the local run needs to start it. */
export function readServiceSettings(assembly: cxapi.CloudAssembly, stack: cxapi.CloudFormationStackArtifact) {
  const resources: Record<string, any> = stack.template.Resources ?? {};
  const services = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::AppRunner::Service' || r.Type === 'AWS::ECS::ExpressGatewayService');
  if (services.length !== 1) {
    throw new Error(`stack ${stack.stackName} has ${services.length} App Runner or ECS Express services; the local run takes exactly one`);
  }
  const [serviceId, service] = services[0];
  const express = service.Type === 'AWS::ECS::ExpressGatewayService';
  const image = express ? expressAsImageRepository(service.Properties) : service.Properties.SourceConfiguration.ImageRepository;
  if (!image) {
    throw new Error(`service ${serviceId} builds from a code repository; the local run takes an image asset`);
  }
  const identifier = JSON.stringify(image.ImageIdentifier);
  const hash = /:([0-9a-f]{64})"/.exec(identifier)?.[1];
  const manifest = stack.dependencies.find(a => a instanceof cxapi.AssetManifestArtifact) as cxapi.AssetManifestArtifact | undefined;
  const source = hash ? manifest?.contents.dockerImages?.[hash]?.source : undefined;
  if (!source?.directory) {
    throw new Error(`service ${serviceId} runs ${identifier}, which is not an image asset of this app; the local run takes an image asset`);
  }
  const directory = path.join(assembly.directory, source.directory);
  const config = image.ImageConfiguration ?? {};
  const dockerfile = readDockerfile(directory, source.dockerFile);

  const tables: TableDefinition[] = Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::DynamoDB::Table')
    .map(([id, r]) => ({
      TableName: r.Properties.TableName ?? id,
      KeySchema: r.Properties.KeySchema,
      AttributeDefinitions: r.Properties.AttributeDefinitions,
    }));

  const environment: Record<string, string> = {};
  for (const { Name, Value } of config.RuntimeEnvironmentVariables ?? []) {
    if (typeof Value === 'string') {
      environment[Name] = Value;
    } else if (Value?.Ref === 'AWS::Region') {
      environment[Name] = LOCAL_REGION;
    } else if (Value?.Ref && resources[Value.Ref]?.Type === 'AWS::DynamoDB::Table') {
      environment[Name] = resources[Value.Ref].Properties.TableName ?? Value.Ref;
    } else {
      throw new Error(`environment variable ${Name} of service ${serviceId} is ${JSON.stringify(Value)}, which the local run cannot resolve`);
    }
  }
  if ((config.RuntimeEnvironmentSecrets ?? []).length > 0) {
    throw new Error(`service ${serviceId} reads secrets (${config.RuntimeEnvironmentSecrets.map((s: any) => s.Name).join(', ')}); the local run has no secrets`);
  }

  const hc = express ? { Protocol: 'HTTP', Path: service.Properties.HealthCheckPath ?? '/', ...EXPRESS_HEALTH_CHECK } : service.Properties.HealthCheckConfiguration ?? {};
  const healthCheck: HealthCheckSettings = {
    protocol: hc.Protocol ?? HEALTH_CHECK_DEFAULTS.protocol,
    path: hc.Path ?? HEALTH_CHECK_DEFAULTS.path,
    intervalSeconds: hc.Interval ?? HEALTH_CHECK_DEFAULTS.intervalSeconds,
    timeoutSeconds: hc.Timeout ?? HEALTH_CHECK_DEFAULTS.timeoutSeconds,
    healthyThreshold: hc.HealthyThreshold ?? HEALTH_CHECK_DEFAULTS.healthyThreshold,
    unhealthyThreshold: hc.UnhealthyThreshold ?? HEALTH_CHECK_DEFAULTS.unhealthyThreshold,
  };
  return {
    serviceId,
    directory,
    port: Number(config.Port ?? DEFAULT_PORT),
    command: config.Command ?? (config.StartCommand ? ['/bin/sh', '-c', config.StartCommand] : imageCommand(dockerfile)),
    /** What the Dockerfile's ENV instructions set (the template's environment wins over it). */
    imageEnvironment: imageEnvironment(dockerfile, process.env),
    workdir: imageWorkdir(dockerfile),
    environment,
    vcpus: vcpusOf(express ? service.Properties.Cpu : service.Properties.InstanceConfiguration?.Cpu),
    tables,
    healthCheck,
  };
}

/**
 * An Express service's container in the shape of App Runner's `ImageRepository`, so that both
 * are read by one reader.
 */
function expressAsImageRepository(properties: any) {
  const container = properties.PrimaryContainer ?? {};
  return {
    ImageIdentifier: container.Image,
    ImageConfiguration: {
      Port: container.ContainerPort ?? 80,
      Command: container.Command,
      RuntimeEnvironmentVariables: container.Environment,
      RuntimeEnvironmentSecrets: container.Secrets,
    },
  };
}

/**
 * The health-check timing of an Express service: Express exposes only the path; its load
 * balancer's target group checks every 30 s, healthy after 5 passes, unhealthy after 2 failures
 * (the Application Load Balancer defaults; ECS documents no others for Express).
 */
const EXPRESS_HEALTH_CHECK = { Interval: 30, Timeout: 5, HealthyThreshold: 5, UnhealthyThreshold: 2 };

/** The Region a template's `AWS::Region` stands for in the local run. */
const LOCAL_REGION = 'us-east-1';

/** What the local run cannot check: things only a deployment (or an image build) shows. */
export const LOCAL_RUN_LIMITS = [
  'the image build itself (no Docker here): RUN steps, COPY paths, the base image and its Node version',
  'WORKDIR: the command runs in the build context, not in the image\'s file system',
  'USER and file permissions inside the image',
  'the instance memory limit (only passed on, as INSTANCE_MEMORY_MB where the source asks for it)',
  'secrets, the instance role and VPC access (local credentials and an embedded DynamoDB instead)',
  'TLS and App Runner\'s proxy: its 120 s request limit, its headers, HTTP/2 to the client',
  'how App Runner runs a StartCommand (not documented: here through /bin/sh -c)',
];

/** vCPUs of the template's instance (`Cpu`: "1024", "1 vCPU", "0.25 vCPU"); 1 when absent (App Runner's default). */
function vcpusOf(cpu: unknown): number {
  if (typeof cpu !== 'string') return 1;
  const units = /^\s*(\d+(?:\.\d+)?)\s*vCPU\s*$/i.exec(cpu);
  return units ? Number(units[1]) : Number(cpu) / 1024 || 1;
}

/**
 * The command restricted to as many CPUs as the instance has (at least one, at most the host's),
 * with taskset where there is one: servers that size themselves by the CPUs they may use (the
 * sample server's workers) then size as on the instance.
 */
function onInstanceCpus(command: string[], vcpus: number): string[] {
  const cpus = Math.min(os.availableParallelism(), Math.max(1, Math.ceil(vcpus)));
  if (cpus >= os.availableParallelism() || !hasTaskset()) return command;
  return ['taskset', '-c', `0-${cpus - 1}`, ...command];
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the stack's service locally and resolves once its health check passes as App Runner
 * would see it; rejects with the cause when it does not.
 */
export async function runServiceLocally(
  assembly: cxapi.CloudAssembly,
  stack: cxapi.CloudFormationStackArtifact,
  options: LocalRunOptions = {},
): Promise<LocalService> {
  const settings = readServiceSettings(assembly, stack);
  const port = options.port ?? settings.port;

  let dynamo: { endpoint: string; stop: () => Promise<void> } | undefined;
  let endpoint = options.dynamoDbEndpoint;
  if (!endpoint) {
    dynamo = await startDynalite();
    endpoint = dynamo.endpoint;
    for (const table of settings.tables) {
      await createTable(endpoint, table);
    }
  }

  const host = options.host ?? '127.0.0.1';
  const [command, ...args] = onInstanceCpus(settings.command, settings.vcpus);
  const child = spawn(command, args, {
    cwd: settings.directory,
    env: {
      PATH: process.env.PATH!,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_EC2_METADATA_DISABLED: 'true',
      // A server that honours HOST (the sample server does) serves this machine only: its crash and
      // write routes are not open to the developer's network. App Runner gives no HOST.
      ...(host ? { HOST: host } : {}),
      ...options.env,
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      NODE_PATH: options.nodeModules ?? path.join(Source.SAMPLE_SERVER_DIRECTORY, 'node_modules'),
      // As in the container: the image's ENV, then the service's variables, then PORT.
      ...settings.imageEnvironment,
      ...settings.environment,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: stop() reaches a start command's children too
  });
  const server = new ServerProcess(port, child);
  const stop = async () => {
    await server.stop();
    await dynamo?.stop();
  };
  try {
    await waitUntilHealthy(server, port, { ...settings.healthCheck, ...options.healthCheckTiming }, options.signal);
    if (!host) checkListensEverywhere(port);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, port, server, healthCheck: settings.healthCheck, environment: settings.environment, stop };
}

async function waitUntilHealthy(server: ServerProcess, port: number, hc: HealthCheckSettings, signal?: AbortSignal): Promise<void> {
  const what = hc.protocol === 'HTTP' ? `HTTP GET ${hc.path} on port ${port}` : `TCP on port ${port}`;
  let healthy = 0;
  let unhealthy = 0;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const aborted = new Promise<'aborted'>(r => signal?.addEventListener('abort', () => r('aborted'), { once: true }));
    const exited = await Promise.race([
      server.exited,
      aborted,
      new Promise<undefined>((r) => { timer = setTimeout(() => r(undefined), hc.intervalSeconds * 1000); }),
    ]);
    clearTimeout(timer);
    if (exited === 'aborted' || signal?.aborted) {
      throw new Error('stopped before the health check passed');
    }
    if (exited) {
      throw new Error(`the service exited (code ${exited.code}, signal ${exited.signal}) before its health check passed; stderr: ${server.stderr.slice(-500)}`);
    }
    const failure = await probe(port, hc);
    if (failure === undefined) {
      unhealthy = 0;
      if (++healthy >= hc.healthyThreshold) return;
    } else {
      healthy = 0;
      if (++unhealthy >= hc.unhealthyThreshold) {
        throw new Error(`health check ${what} failed ${unhealthy} times in a row: ${failure}`);
      }
    }
  }
}

/** undefined when healthy, else why not. */
async function probe(port: number, hc: HealthCheckSettings): Promise<string | undefined> {
  const hint = ` (does the server listen on the PORT App Runner gives it, ${port}?)`;
  if (hc.protocol === 'HTTP') {
    try {
      const res = await request(port, hc.path, { timeoutMs: hc.timeoutSeconds * 1000 });
      return res.status >= 200 && res.status < 300 ? undefined : `answered ${res.status} (App Runner needs 2xx) ${res.body.slice(0, 200)}`;
    } catch (err: any) {
      return `${err.code ?? err.message}${err.code === 'ECONNREFUSED' ? hint : ''}`;
    }
  }
  return new Promise<string | undefined>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: hc.timeoutSeconds * 1000 });
    socket.once('connect', () => { socket.destroy(); resolve(undefined); });
    socket.once('timeout', () => { socket.destroy(); resolve('timed out'); });
    socket.once('error', (err: any) => resolve(`${err.code}${err.code === 'ECONNREFUSED' ? hint : ''}`));
  });
}

/**
 * The addresses listening on `port`, from the kernel's socket table (/proc/net/tcp and tcp6):
 * passive, no connection to any address but loopback is ever made. Undefined where there is no
 * such table (not Linux).
 */
export function listeningAddresses(port: number, read = (file: string) => fs.readFileSync(file, 'utf8')): string[] | undefined {
  const addresses: string[] = [];
  let found = false;
  for (const [file, v6] of [['/proc/net/tcp', false], ['/proc/net/tcp6', true]] as const) {
    let text: string;
    try {
      text = read(file);
    } catch {
      continue;
    }
    found = true;
    for (const row of text.split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      if (fields.length < 4 || fields[3] !== '0A') continue; // 0A: LISTEN
      const [hexAddress, hexPort] = fields[1].split(':');
      if (parseInt(hexPort, 16) !== port) continue;
      addresses.push(v6 ? ipv6(hexAddress) : ipv4(hexAddress));
    }
  }
  return found ? addresses : undefined;
}

/** /proc's IPv4 address: 8 hex digits, little-endian. */
function ipv4(hex: string): string {
  return [3, 2, 1, 0].map(i => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
}

/** /proc's IPv6 address: four 32-bit words, each little-endian. */
function ipv6(hex: string): string {
  const bytes: number[] = [];
  for (let word = 0; word < 4; word++) {
    for (const i of [3, 2, 1, 0]) bytes.push(parseInt(hex.slice(word * 8 + i * 2, word * 8 + i * 2 + 2), 16));
  }
  if (bytes.slice(0, 10).every(b => b === 0) && bytes[10] === 255 && bytes[11] === 255) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[i * 2] * 256 + bytes[i * 2 + 1]).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}

/**
 * Fails, as App Runner's health check would, when nothing listens on `port` on an address App
 * Runner can reach: it connects from outside the container, so a server listening on loopback
 * only is never healthy there.
 */
export function checkListensEverywhere(port: number, addresses = listeningAddresses(port)): void {
  if (addresses === undefined || addresses.length === 0) return; // no socket table here: not checked
  if (addresses.every(isLoopback)) {
    throw new Error(`the service listens on ${addresses.join(', ')} port ${port} only: App Runner connects from outside the `
      + 'container, so its health check would fail. Listen on every address (0.0.0.0 or ::).');
  }
}

/** The port is free to bind on 127.0.0.1 (a port for the local run when none is asked for). */
export async function pickPort(preferred: number): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const s = net.createServer().once('error', () => resolve(false)).listen(preferred, '127.0.0.1', () => s.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}
