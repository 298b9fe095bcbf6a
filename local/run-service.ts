// Runs the App Runner service of a synthesized stack on 127.0.0.1 the way App Runner would:
// the image's build context from the cloud assembly, its start command, PORT, the
// environment from the template (a table reference becomes a local DynamoDB table), and the
// template's health check with its interval and thresholds deciding when it is up.
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { cx_api as cxapi } from 'aws-cdk-lib';
import { ServerProcess, TableDefinition, createTable, freePort, request, startDynalite } from './process';
import { Source } from '../src';
import { imageCommand, readDockerfile } from './dockerfile';
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
  const services = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::AppRunner::Service');
  if (services.length !== 1) {
    throw new Error(`stack ${stack.stackName} has ${services.length} AWS::AppRunner::Service resources; the local run takes exactly one`);
  }
  const [serviceId, service] = services[0];
  const image = service.Properties.SourceConfiguration.ImageRepository;
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
    } else if (Value?.Ref && resources[Value.Ref]?.Type === 'AWS::DynamoDB::Table') {
      environment[Name] = resources[Value.Ref].Properties.TableName ?? Value.Ref;
    } else {
      throw new Error(`environment variable ${Name} of service ${serviceId} is ${JSON.stringify(Value)}, which the local run cannot resolve`);
    }
  }
  if ((config.RuntimeEnvironmentSecrets ?? []).length > 0) {
    throw new Error(`service ${serviceId} reads secrets (${config.RuntimeEnvironmentSecrets.map((s: any) => s.Name).join(', ')}); the local run has no secrets`);
  }

  const hc = service.Properties.HealthCheckConfiguration ?? {};
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
    command: config.StartCommand ? ['sh', '-c', config.StartCommand] : imageCommand(readDockerfile(directory, source.dockerFile)),
    environment,
    tables,
    healthCheck,
  };
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

  const [command, ...args] = settings.command;
  const child = spawn(command, args, {
    cwd: settings.directory,
    env: {
      PATH: process.env.PATH!,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_EC2_METADATA_DISABLED: 'true',
      // A server that honours HOST (the sample server does) serves this machine only: its crash and
      // write routes are not open to the developer's network. App Runner gives no HOST.
      HOST: '127.0.0.1',
      ...options.env,
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      NODE_PATH: options.nodeModules ?? path.join(Source.SAMPLE_SERVER_DIRECTORY, 'node_modules'),
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
    await waitUntilHealthy(server, port, settings.healthCheck, options.signal);
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

/** The port is free to bind on 127.0.0.1 (a port for the local run when none is asked for). */
export async function pickPort(preferred: number): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const s = net.createServer().once('error', () => resolve(false)).listen(preferred, '127.0.0.1', () => s.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}
