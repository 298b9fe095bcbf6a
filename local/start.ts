// The main job (`npm start`): synthesize the example app, then run its service on 127.0.0.1
// the way App Runner would (see run-service.ts), with an embedded DynamoDB (dynalite) unless
// AWS_ENDPOINT_URL_DYNAMODB points at another one. Serves until Ctrl-C.
import * as path from 'node:path';
import { LOCAL_RUN_LIMITS, pickPort, runServiceLocally } from './run-service';
import { buildApp } from '../examples/app';
import { CRASH_ROUTES } from '../integ/crash-sequence';
import { DEFAULT_PORT } from '../src/private/app-runner-defaults';

async function main() {
  const outdir = path.join(__dirname, '..', 'examples', 'cdk.out');
  const assembly = buildApp(outdir).synth();
  // `--express`: the same service as ECS Express Mode would run it.
  const express = process.argv.includes('--express');
  const stack = assembly.getStackByName(express ? 'AppRunnerWebServiceExpressExample' : 'AppRunnerWebServiceExample');
  console.log(`Synthesized ${stack.stackName}: ${path.relative(process.cwd(), path.join(outdir, stack.templateFile))}`);

  const port = process.env.PORT ? Number(process.env.PORT) : await pickPort(DEFAULT_PORT);
  const passThrough = Object.fromEntries(
    ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'HOME']
      .filter(k => process.env[k]).map(k => [k, process.env[k]!]));
  // Ctrl-C while the service starts stops it too (a health check interval can be 20 s).
  const starting = new AbortController();
  const abort = () => starting.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  // `--no-host`: no HOST, as App Runner gives none; the server must then listen on every address.
  const host = process.argv.includes('--no-host') ? '' : '127.0.0.1';
  const service = await runServiceLocally(assembly, stack, {
    port,
    host,
    dynamoDbEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
    env: passThrough,
    signal: starting.signal,
  });
  process.off('SIGINT', abort);
  process.off('SIGTERM', abort);
  service.server.child.stdout!.pipe(process.stdout);
  const dynamo = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? 'an embedded dynalite';
  const [first, ...rest] = CRASH_ROUTES;
  console.log([
    '',
    `Serving ${service.url}  (health check ${service.healthCheck.protocol} ${service.healthCheck.path} passed; DynamoDB: ${dynamo})`,
    `  curl ${service.url}/                      the page`,
    `  curl -X POST ${service.url}/dynamodb/write -d '{"pk":"a","sk":"1"}'`,
    `  curl '${service.url}/dynamodb/read?pk=a'`,
    `  curl ${service.url}${first}   (or ${rest.join(', ')}) — then / again`,
    host ? `Listening address not checked (HOST=${host} given; \`npm start -- --no-host\` checks it).` : 'Listens on every address, as App Runner needs.',
    'Not checked locally (a deployment shows them):',
    ...LOCAL_RUN_LIMITS.map(limit => `  - ${limit}`),
    'Ctrl-C stops.',
    '',
  ].join('\n'));

  const stop = async () => {
    await service.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
