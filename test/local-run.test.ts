import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration } from 'aws-cdk-lib';
import { ExpressWebServiceStack } from '../examples/app';
import { CrashRoutesStack, CrashRoutesStackOptions } from '../integ/crash-routes-stack';
import { CRASH_ROUTES, CRASH_SEQUENCE } from '../integ/crash-sequence';
import { freePort, request } from '../local/process';
import { runSequence } from '../local/run-sequence';
import { checkListensEverywhere, listeningAddresses, readServiceSettings, runServiceLocally } from '../local/run-service';
import { HealthCheck, Source } from '../src';

jest.setTimeout(90_000);

function synth(options: CrashRoutesStackOptions = {}) {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'local-run-')) });
  const stack = new CrashRoutesStack(app, 'CrashRoutes', options);
  const assembly = app.synth();
  return { assembly, artifact: assembly.getStackArtifact(stack.artifactId) };
}

/** Fast health checks, so a broken configuration fails in seconds. */
const quickCheck = { interval: Duration.seconds(1), unhealthyThreshold: 2 };

describe('the crash-routes integration test, run locally', () => {
  test('reads port, command, environment and health check from the template', () => {
    const { assembly, artifact } = synth();
    const settings = readServiceSettings(assembly, artifact);
    expect(settings.port).toBe(8080);
    expect(settings.command).toEqual(['node', 'server.js']);
    // The template's Region reference stands for the local run's Region.
    expect(settings.environment).toEqual({ CRASH_ROUTES: 'on', AWS_REGION: 'us-east-1', INSTANCE_MEMORY_MB: '2048', TABLE_NAME: expect.stringMatching(/^Table/) });
    // The Dockerfile's own environment and working directory, and the instance's vCPUs.
    expect(settings.imageEnvironment).toEqual({ NODE_ENV: 'production' });
    expect(settings.workdir).toBe('/app');
    expect(settings.vcpus).toBe(1);
    expect(settings.healthCheck).toEqual({ protocol: 'HTTP', path: '/healthz', intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 1, unhealthyThreshold: 5 });
    expect(settings.tables.map(t => t.KeySchema)).toEqual([[{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]]);
    expect(fs.existsSync(path.join(settings.directory, 'server.js'))).toBe(true);
  });

  test('passes the same sequence as the deployed test: page, write, read, four crashes and recoveries, read again', async () => {
    const { assembly, artifact } = synth();
    const service = await runServiceLocally(assembly, artifact, { port: await freePort() });
    try {
      const results = await runSequence(service.port, CRASH_SEQUENCE);
      expect(results.map(r => r.name)).toEqual(CRASH_SEQUENCE.map(s => s.name));
      console.log(results.map(r => `${r.name}: ${r.ms} ms, ${r.attempts} attempt(s)`).join('\n'));
      // Every crash route took a worker down, each named in the supervisor's lines. A worker that
      // panicked keeps accepting until another worker does, so the next crash call may land on
      // it: it then dies of that one.
      const routes = [
        ...service.server.events('worker-died').map(l => l.route),
        ...service.server.events('uncaught-exception').map(l => l.route),
      ];
      expect(new Set(routes)).toEqual(new Set(CRASH_ROUTES));
    } finally {
      await service.stop();
    }
  });
});

describe('a broken configuration fails the local run, naming the cause', () => {
  test('a start command that listens on another port than PORT', async () => {
    const { assembly, artifact } = synth({
      service: {
        source: Source.fromAsset(Source.SAMPLE_SERVER_DIRECTORY, { startCommand: 'env PORT=1 node server.js' }),
        healthCheck: HealthCheck.http({ path: '/healthz', ...quickCheck }),
      },
    });
    const port = await freePort();
    await expect(runServiceLocally(assembly, artifact, { port })).rejects.toThrow(
      `health check HTTP GET /healthz on port ${port} failed 2 times in a row: ECONNREFUSED (does the server listen on the PORT App Runner gives it, ${port}?)`);
  });

  test('a missing TABLE_NAME', async () => {
    const { assembly, artifact } = synth({ withoutTableName: true });
    const service = await runServiceLocally(assembly, artifact, { port: await freePort() });
    try {
      await expect(runSequence(service.port, CRASH_SEQUENCE)).rejects.toThrow(
        'step "write" (POST /dynamodb/write): got 500 {"error":"TABLE_NAME is not set"}; { "body": { "error": "TABLE_NAME is not set" }, !! Expected 200 but received 500');
    } finally {
      await service.stop();
    }
  });

  test('a health check path that answers 404', async () => {
    const { assembly, artifact } = synth({ service: { healthCheck: HealthCheck.http({ path: '/health', ...quickCheck }) } });
    const port = await freePort();
    await expect(runServiceLocally(assembly, artifact, { port })).rejects.toThrow(
      `health check HTTP GET /health on port ${port} failed 2 times in a row: answered 404 (App Runner needs 2xx)`);
  });
});

describe('as close to App Runner as this machine allows', () => {
  const FIXTURE = path.join(__dirname, 'fixtures', 'localhost-only');

  test('the Dockerfile\'s ENTRYPOINT, CMD and ENV (its base stage\'s too) reach the server', async () => {
    const { assembly, artifact } = synth({ service: { source: Source.fromAsset(FIXTURE), healthCheck: HealthCheck.http({ path: '/', ...quickCheck }) } });
    const settings = readServiceSettings(assembly, artifact);
    expect(settings.command).toEqual(['node', 'server.js']);
    const service = await runServiceLocally(assembly, artifact, { port: await freePort() });
    try {
      expect((await request(service.port, '/')).body).toBe('hello there from fixture\n');
    } finally {
      await service.stop();
    }
  });

  test('given no HOST, as on App Runner, a server listening on 127.0.0.1 only fails as App Runner\'s health check would', async () => {
    const { assembly, artifact } = synth({ service: { source: Source.fromAsset(FIXTURE), healthCheck: HealthCheck.http({ path: '/', ...quickCheck }) } });
    const port = await freePort();
    await expect(runServiceLocally(assembly, artifact, { port, host: '' })).rejects.toThrow(
      `the service listens on 127.0.0.1 port ${port} only: App Runner connects from outside the container, so its health check would fail.`);
  });

  test('given no HOST, the sample server listens on every address and passes', async () => {
    const { assembly, artifact } = synth({ service: { healthCheck: HealthCheck.http({ path: '/healthz', ...quickCheck }) } });
    const service = await runServiceLocally(assembly, artifact, { port: await freePort(), host: '' });
    try {
      expect(listeningAddresses(service.port)).toEqual(expect.arrayContaining([expect.stringMatching(/^(0\.0\.0\.0|::)$/)]));
    } finally {
      await service.stop();
    }
  });

  test('the socket table is read as the kernel writes it (IPv4 little-endian, IPv6 per 32-bit word)', () => {
    const tcp = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0',
      '   1: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0 100 0 0 10 0',
      '   2: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 100 0 0 10 0',
    ].join('\n');
    const tcp6 = [
      '  sl  local_address                         remote_address                        st',
      '   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A',
      '   1: 00000000000000000000000000000000:1F92 00000000000000000000000000000000:0000 0A',
    ].join('\n');
    const read = (file: string) => (file.endsWith('6') ? tcp6 : tcp);
    expect(listeningAddresses(8080, read)).toEqual(['127.0.0.1', '::1']);
    expect(listeningAddresses(8081, read)).toEqual(['0.0.0.0']);
    expect(listeningAddresses(8082, read)).toEqual(['::']);
    expect(listeningAddresses(8080, () => { throw new Error('ENOENT'); })).toBeUndefined();
    expect(() => checkListensEverywhere(8080, ['127.0.0.1', '::1'])).toThrow('listens on 127.0.0.1, ::1 port 8080 only');
    expect(() => checkListensEverywhere(8081, ['0.0.0.0'])).not.toThrow();
    expect(() => checkListensEverywhere(8081, ['::'])).not.toThrow();
  });
});

describe('the same example on ECS Express Mode, run locally', () => {
  test('reads the Express template (image, port, environment, health-check path) and passes the crash sequence', async () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'local-run-express-')) });
    const stack = new ExpressWebServiceStack(app, 'Express');
    const assembly = app.synth();
    const artifact = assembly.getStackArtifact(stack.artifactId);
    const settings = readServiceSettings(assembly, artifact);
    expect(settings).toMatchObject({
      port: 8080,
      command: ['node', 'server.js'],
      environment: { CRASH_ROUTES: 'on', AWS_REGION: 'us-east-1', INSTANCE_MEMORY_MB: '2048', TABLE_NAME: expect.stringMatching(/^Table/) },
      // Express exposes only the path; the rest is its load balancer's timing.
      healthCheck: { protocol: 'HTTP', path: '/healthz', intervalSeconds: 30, healthyThreshold: 5, unhealthyThreshold: 2 },
      vcpus: 1,
    });
    const service = await runServiceLocally(assembly, artifact, {
      port: await freePort(), healthCheckTiming: { intervalSeconds: 1, healthyThreshold: 1 },
    });
    try {
      const results = await runSequence(service.port, CRASH_SEQUENCE);
      expect(results.map(r => r.name)).toEqual(CRASH_SEQUENCE.map(s => s.name));
    } finally {
      await service.stop();
    }
  });
});
