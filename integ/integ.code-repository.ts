// A service App Runner builds from a GitHub repository, configured through the API.
// Snapshot only: deploying it needs an App Runner connection to GitHub, which only the
// console can create. With one, deploy it with -c connectionArn=<your connection ARN>.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { AppRunnerWebService, CodeConfiguration, GitHubConnection, HealthCheck, Runtime, Source } from '../src';

const app = new App();
const stack = new Stack(app, 'AppRunnerWebServiceCodeRepository');
const connectionArn = app.node.tryGetContext('connectionArn')
  ?? 'arn:aws:apprunner:us-east-1:123456789012:connection/github/0123456789abcdef0123456789abcdef';

new AppRunnerWebService(stack, 'FromCode', {
  source: Source.fromCodeRepository({
    connection: GitHubConnection.fromConnectionArn(connectionArn),
    repositoryUrl: 'https://github.com/aws-containers/hello-app-runner',
    branch: 'main',
    configuration: CodeConfiguration.fromApi({
      runtime: Runtime.PYTHON_311,
      buildCommand: 'pip install -r requirements.txt',
      startCommand: 'python server.py',
      port: 8000,
    }),
  }),
  healthCheck: HealthCheck.http({ path: '/' }),
});

new IntegTest(app, 'AppRunnerWebServiceCodeRepositoryTest', { testCases: [stack] });
