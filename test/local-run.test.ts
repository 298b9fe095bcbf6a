import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration } from 'aws-cdk-lib';
import { CrashRoutesStack, CrashRoutesStackOptions } from '../integ/crash-routes-stack';
import { CRASH_ROUTES, CRASH_SEQUENCE } from '../integ/crash-sequence';
import { freePort } from '../local/process';
import { runSequence } from '../local/run-sequence';
import { readServiceSettings, runServiceLocally } from '../local/run-service';
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
    expect(settings.environment).toEqual({ CRASH_ROUTES: 'on', INSTANCE_MEMORY_MB: '2048', TABLE_NAME: expect.stringMatching(/^Table/) });
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
