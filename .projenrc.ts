import { awscdk, DependencyType, javascript } from 'projen';
import { addIntegWorkflow } from './projenrc/integ-workflow';
import { configurePackaging } from './projenrc/packaging';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-apprunner-web-service',
  description:
    'An AWS CDK L2 construct for AWS App Runner web services: typed sources, validated sizes, grants, secrets, auto scaling, ' +
    'health checks, metrics and alarms, VPC egress and private endpoints, WAF and custom domains with DNS.',
  author: 'cdk-apprunner-web-service maintainers',
  authorAddress: 'maintainers@users.noreply.r-seed-77023da2.example',
  repositoryUrl: 'https://github.com/cdk-apprunner-web-service/cdk-apprunner-web-service.git',
  keywords: ['cdk', 'awscdk', 'aws-cdk', 'apprunner', 'app-runner'],
  stability: 'experimental',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  projenVersion: '0.103.25',
  cdkVersion: '2.245.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  minNodeVersion: '20.16.0',
  // The GitHub workflows run on Node 22: the release tooling (publib, the jsii-pacmak targets'
  // packagers) and AWS SDK v3 releases from 2027 need it. Local development and .ci/run use Node 20.
  workflowNodeVersion: '22.x',
  // Our own CI is .ci/run. The GitHub workflows are for the project's home on GitHub: build on
  // pull requests (failing when the build changes files), release from main.
  github: true,
  buildWorkflowOptions: { mutableBuild: false },
  release: true,
  releaseToNpm: true,
  githubOptions: { mergify: false, pullRequestLintOptions: { semanticTitleOptions: { requireScope: false } } },
  // Weekly upgrades of development dependencies only: the peer dependencies (aws-cdk-lib,
  // constructs) stay at the floor users need, and the tools pinned for a reason move by hand.
  depsUpgrade: true,
  depsUpgradeOptions: {
    types: [DependencyType.DEVENV, DependencyType.BUILD],
    exclude: [
      'aws-cdk-lib', 'constructs', 'projen', 'jsii', 'jsii-rosetta', '@aws-cdk/integ-runner',
      '@aws-cdk/integ-tests-alpha', 'cdk-nag', 'dynalite',
    ],
    workflowOptions: { schedule: javascript.UpgradeDependenciesSchedule.WEEKLY },
  },
  experimentalIntegRunner: true,
  integrationTestAutoDiscover: false,
  // --forceExit: a test that fails before it stops a server must not hang CI.
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    extraCliOptions: ['--forceExit'],
    // Integ snapshots hold copies of the assets (a second sample server package.json): not modules of the tests.
    jestConfig: { modulePathIgnorePatterns: ['<rootDir>/integ/.*\\.snapshot/'] },
  },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'integ', 'examples', 'local', 'bench', 'projenrc'] },
  tsconfigDev: { include: ['../integ/**/*.ts', '../examples/**/*.ts', '../local/**/*.ts', '../bench/**/*.ts'] },
  gitignore: ['cdk-integ.out.*', 'cdk.out/', '.tmp/', '.jsii.tabl.json', 'examples/cdk.out', 'assets/sample-server/node_modules/', 'examples/java/target/'],

  publishToPypi: {
    distName: 'cdk-apprunner-web-service',
    module: 'cdk_apprunner_web_service',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkapprunnerwebservice',
    mavenGroupId: 'io.github.cdk-apprunner-web-service',
    mavenArtifactId: 'cdk-apprunner-web-service',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkAppRunnerWebService',
    packageId: 'CdkAppRunnerWebService',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-apprunner-web-service/cdk-apprunner-web-service-go',
    packageName: 'cdkapprunnerwebservice',
  },
});

for (const pattern of ['/CONTRIBUTING.md', '/.tmp/', '/integ/', '/examples/', '/local/', '/.ci/', '/rosetta/', '/bench/', '/build-tools/', 'cdk.out/', '.jsii.tabl.json', 'assets/sample-server/node_modules/']) {
  project.npmignore?.exclude(pattern);
}

project.deps.addDependency('@aws-cdk/integ-runner@2.197.10', DependencyType.DEVENV);
// Process-level tests of the sample server: a real DynamoDB-compatible server and the real SDK.
project.deps.addDependency('dynalite@4.0.0', DependencyType.DEVENV);
project.deps.addDependency('@aws-sdk/client-dynamodb@^3.700.0', DependencyType.DEVENV);
// The custom-domain handler is tested as code, with the SDK clients it calls mocked at the
// client boundary (the Lambda runtime provides the same clients).
project.deps.addDependency('@aws-sdk/client-apprunner@^3.700.0', DependencyType.DEVENV);
project.deps.addDependency('@aws-sdk/client-route-53@^3.700.0', DependencyType.DEVENV);
// The integ workflow's cleanup (build-tools/delete-integ-stacks.ts).
project.deps.addDependency('@aws-sdk/client-cloudformation@^3.700.0', DependencyType.DEVENV);
project.deps.addDependency('@aws-sdk/client-cloudwatch-logs@^3.700.0', DependencyType.DEVENV);
project.deps.addDependency('aws-sdk-client-mock@^4.1.0', DependencyType.DEVENV);
// Property-based tests: generated configurations, every template linted.
project.deps.addDependency('fast-check@^4', DependencyType.DEVENV);
// AWS Solutions checks over the example and the integ stacks (cdk-nag 3 needs aws-cdk-lib 2.257).
project.deps.addDependency('cdk-nag@2.36.8', DependencyType.DEVENV);
// Load generator of the benchmarks in bench/ (run on demand, not in CI).
project.deps.addDependency('autocannon@^8.0.0', DependencyType.DEVENV);
project.deps.addDependency('@aws-cdk/integ-tests-alpha@2.245.0-alpha.0', DependencyType.DEVENV);
// Import circles in src/ (type-only imports included) fail the test task.
project.deps.addDependency('dpdm@^4.3.0', DependencyType.DEVENV);
// The synth benchmark compares against the alpha construct (the newest version this registry
// serves that fits aws-cdk-lib 2.245); used by bench/ only.
project.deps.addDependency('@aws-cdk/aws-apprunner-alpha@2.207.0-alpha.0', DependencyType.DEVENV);

// integ-runner finds integ.*.ts in integ/; transpile-only halves its time and the
// type check happens in the test task below.
const integApp = 'node -r ts-node/register/transpile-only {filePath}';
project.tasks.tryFind('integ')!.reset(
  `integ-runner $@ --directory integ --language typescript --app "${integApp}"`,
  { receiveArgs: true },
);
project.tasks.tryFind('integ:update')!.reset(
  `integ-runner $@ --directory integ --language typescript --app "${integApp}" --update-on-failed --dry-run`,
  { receiveArgs: true },
);

// `npx apprunner-replacements before.json after.json`: which App Runner resources a deployment would replace.
project.addBins({ 'apprunner-replacements': 'lib/cli/replacements.js' });

// The integ workflow's CloudFormation execution policy, from the snapshots and cfn-lint's schemas.
project.addTask('integ:policy', {
  description: 'Regenerate build-tools/integ-role/execution-policy.json from the integ snapshots and the CloudFormation schemas',
  exec: 'ts-node --transpile-only build-tools/integ-role/execution-policy.ts',
});

// Type-check tests, integ apps and the example (jest's ts-jest checks only what it loads).
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// No import circle in src/, type-only imports included (`npx projen check:cycles`).
const checkCycles = project.addTask('check:cycles', {
  description: 'Fail when a module of src/ imports itself through others (type-only imports count)',
  exec: "dpdm --no-tree --no-warning --no-progress --exit-code circular:1 'src/**/*.ts'",
});
project.testTask.prependSpawn(checkCycles);

// The integ snapshots hold copies of the assets and bundled assertion handlers: generated files.
project.gitattributes.addAttributes('/integ/*.snapshot/**', 'linguist-generated');

// The compiled index loads each module on first use (the TypeScript index, which jsii reads, is
// unchanged), so a synth does not load the modules of features it does not use.
const lazyIndex = 'node build-tools/lazy-index.js';
project.postCompileTask.prependExec(lazyIndex);

// Every README snippet must compile against the library.
project.postCompileTask.exec('jsii-rosetta extract --strict');
// Every public type, member and optional prop is documented (with @default).
project.postCompileTask.exec('node build-tools/check-api-docs.js');

// `build` packages the npm tarball only, on every machine (projen's default runs every
// language's packager outside CI, and .NET has no toolchain here); `package-all` builds the rest.
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);

// The sample server has its own package.json and lockfile (they go into its image); its
// process-level tests and the main job run it from its folder, so install it there.
const sampleServerInstall = project.addTask('sample-server:install', {
  description: 'Install the sample server\'s production dependencies in its folder',
  exec: 'npm ci --prefix assets/sample-server --omit=dev --no-audit --no-fund',
});
project.testTask.prependSpawn(sampleServerInstall);

// The build's one prerequisite besides Node and npm, checked before anything else runs.
project.preCompileTask.prependExec('bash build-tools/check-python.sh');

// cfn-lint (with every resource schema) in a virtual environment of our own, pinned.
const CFN_LINT_VERSION = '1.58.0';
const cfnLintInstall = project.addTask('cfn-lint:install', {
  description: `Install cfn-lint ${CFN_LINT_VERSION} into .tmp/cfn-lint`,
  exec: `bash build-tools/install-cfn-lint.sh ${CFN_LINT_VERSION}`,
});
project.testTask.prependSpawn(cfnLintInstall);

project.addTask('test:properties', {
  description: 'The property-based tests with more cases: FC_RUNS (10000) valid, FC_INVALID_RUNS (10000) invalid, FC_SEED',
  env: { FC_RUNS: '10000', FC_INVALID_RUNS: '10000' },
  exec: 'jest --coverage=false test/properties.test.ts test/invalid-properties.test.ts',
});

// The second lane: unit tests and every integ app on the newest aws-cdk-lib and constructs, with
// deprecated APIs as errors (.ci/run runs it after the build).
project.addTask('test:newest-cdk', {
  description: 'Run the unit tests and synthesize every integ app on the newest aws-cdk-lib and constructs, JSII_DEPRECATED=fail',
  exec: 'bash build-tools/newest-cdk.sh',
});

project.addTask('bench:sample-server', {
  description: 'Benchmark the sample server against the reference Go server (needs Go); writes bench/results/',
  exec: 'ts-node --transpile-only bench/sample-server.ts',
});

// Synth cost of N services: this library vs the alpha vs a hand-written L1 (needs the compiled lib/).
const benchSynth = project.addTask('bench:synth', {
  description: 'Benchmark cold synth time, memory and template weight for N = 1, 10, 50, 200 services; writes bench/results/',
  exec: 'ts-node --transpile-only bench/synth.ts',
});
benchSynth.prependExec(lazyIndex);
benchSynth.prependSpawn(project.compileTask);

// The example app in Python, Java and Go, against the bindings built here, must synthesize the
// same template as the TypeScript one (.ci/run runs it after the build).
const checkBindings = project.addTask('check:bindings', {
  description: 'Build the Python, Java and Go bindings and check that examples/{python,java,go} synthesize the TypeScript example\'s template',
  exec: 'ts-node --transpile-only build-tools/check-bindings.ts',
  receiveArgs: true,
});
// jsii-pacmak packages the compiled assembly: compile first, so the task works on a fresh clone.
checkBindings.prependExec(lazyIndex);
checkBindings.prependSpawn(project.compileTask);

// The main job: synthesize the example app and run its service locally until Ctrl-C.
const start = project.addTask('start', {
  description: 'Synthesize the example app and run its service on 127.0.0.1 as App Runner would (--no-host: give it no HOST, and check that it listens on every address)',
  exec: 'ts-node --transpile-only local/start.ts',
  receiveArgs: true,
});
start.prependSpawn(sampleServerInstall);

// Synthesize the example app and summarize its template.
project.addTask('example', {
  description: 'Synthesize the example app and print what its template contains',
  exec: 'ts-node --transpile-only examples/synth.ts',
});


addIntegWorkflow(project);

// Every workflow is checked by actionlint (pinned, built from the Go module proxy) in .ci/run.
const ACTIONLINT_VERSION = '1.7.12';
project.addTask('lint:workflows', {
  description: `Check .github/workflows with actionlint ${ACTIONLINT_VERSION} (needs Go; installs into .tmp/go)`,
  exec: `bash build-tools/actionlint.sh ${ACTIONLINT_VERSION}`,
});

configurePackaging(project);

project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
project.tasks.addEnvironment('AWS_EC2_METADATA_DISABLED', 'true');

project.synth();
