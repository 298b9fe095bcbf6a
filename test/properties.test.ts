// Generated configurations: every valid one synthesizes a template cfn-lint finds no error in.
// Runs and seed: FC_RUNS (1000) and FC_SEED (random, printed). A failure prints the seed and
// the props of the case.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import fc from 'fast-check';
import { VALID_PAIRS, ValidCase, addSelfReferences, buildService, validCase } from './arbitraries';
import { cfnLint } from './cfn-lint';

const RUNS = Number(process.env.FC_RUNS ?? 1000);
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const SERVICES_PER_STACK = 50;

jest.setTimeout(600_000);

test(`${RUNS} generated valid configurations synthesize templates with no cfn-lint error (seed ${SEED})`, () => {
  const cases = fc.sample(validCase, { numRuns: RUNS, seed: SEED });
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'properties-')) });
  const owner = new Map<string, { stack: string; index: number }>();
  const stacks: Stack[] = [];
  cases.forEach((c: ValidCase, index) => {
    if (index % SERVICES_PER_STACK === 0) {
      stacks.push(new Stack(app, `Cases${stacks.length}`, { env: { account: '123456789012', region: 'us-east-1' } }));
    }
    const stack = stacks[stacks.length - 1];
    const id = `S${index}`;
    let service;
    try {
      service = buildService(stack, id, c);
    } catch (err: any) {
      throw new Error(`valid case ${index} (seed ${SEED}) was rejected: ${err.message}\n${JSON.stringify(c, null, 2)}`);
    }
    if (c.grant) {
      new dynamodb.Table(stack, `${id}Table`, { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }).grantReadWriteData(service);
    }
    addSelfReferences(stack, id, service, c.selfReferences);
    owner.set(`${stack.stackName}/${id}`, { stack: stack.stackName, index });
  });
  const assembly = app.synth();
  const templates = assembly.stacks.map(s => path.join(assembly.directory, s.templateFile));
  const errors = cfnLint(templates).filter(f => f.level === 'Error');

  const report = errors.slice(0, 5).map((e) => {
    const logicalId = String(e.path[1] ?? '');
    const stackName = path.basename(e.file).replace('.template.json', '');
    const index = Number(/^S(\d+)/.exec(logicalId)?.[1]);
    return `${e.rule} in ${stackName} ${logicalId}: ${e.message}\ncase ${index}: ${JSON.stringify(cases[index])}`;
  });
  expect({ seed: SEED, errors: errors.length, first: report }).toEqual({ seed: SEED, errors: 0, first: [] });
  const selfReferencing = cases.filter(c => c.selfReferences.length > 0).length;
  const typed = cases.filter(c => c.size && !VALID_PAIRS.some(([cpu, memory]) => cpu === c.size![0] && memory === c.size![1])).length;
  // eslint-disable-next-line no-console
  console.log(`properties: ${cases.length} valid cases accepted and linted in ${templates.length} templates, 0 cfn-lint errors ` +
    `(circular dependencies E3004 included; ${selfReferencing} with grants or policies that refer to the service, ` +
    `${typed} with CPU and memory in free-form spellings; seed ${SEED})`);
});
