// The integ workflow's cleanup, at the SDK client boundary: only this project's stacks, stacks in
// progress waited for, every stack tried and every failure reported, log groups removed.
import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DeleteLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { deleteIntegStacks } from '../build-tools/delete-integ-stacks';

const cfn = mockClient(CloudFormationClient);
const logs = mockClient(CloudWatchLogsClient);
const SERVICE_ARN = 'arn:aws:apprunner:us-east-1:123456789012:service/AppRunnerWebServiceCrashRoutes-Web/0123456789abcdef';

/** A fake account: each stack's successive statuses as DescribeStacks reports them (the last one repeats). */
function account(stacks: Record<string, string[]>, deleteFails: string[] = []) {
  const seen: Record<string, number> = {};
  const deleting = new Set<string>();
  cfn.on(ListStacksCommand).resolves({
    StackSummaries: Object.entries(stacks)
      .map(([name, statuses]) => ({ StackName: name, StackStatus: statuses[0] as any, CreationTime: new Date() })),
  });
  cfn.on(DescribeStacksCommand).callsFake(({ StackName }) => {
    if (deleting.has(StackName)) {
      if (deleteFails.includes(StackName)) return { Stacks: [{ StackName, StackStatus: 'DELETE_FAILED', CreationTime: new Date() }] };
      throw new Error(`Stack with id ${StackName} does not exist`);
    }
    const list = stacks[StackName];
    const i = Math.min(seen[StackName] ?? 0, list.length - 1);
    seen[StackName] = i + 1;
    return { Stacks: [{ StackName, StackStatus: list[i], CreationTime: new Date() }] };
  });
  cfn.on(DeleteStackCommand).callsFake(({ StackName }) => { deleting.add(StackName); return {}; });
  cfn.on(ListStackResourcesCommand).callsFake(({ StackName }) => ({
    StackResourceSummaries: StackName === 'AppRunnerWebServiceCrashRoutes'
      ? [{ ResourceType: 'AWS::AppRunner::Service', LogicalResourceId: 'Web', PhysicalResourceId: SERVICE_ARN, ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() }]
      : [],
  }));
}

beforeEach(() => {
  cfn.reset();
  logs.reset();
  logs.on(DescribeLogGroupsCommand).callsFake(({ logGroupNamePrefix }) => ({
    logGroups: [
      { logGroupName: '/aws/lambda/AppRunnerWebServiceCrashR-SingletonFunction-ABC' },
      { logGroupName: '/aws/apprunner/AppRunnerWebServiceCrashRoutes-Web/0123456789abcdef/service' },
      { logGroupName: '/aws/apprunner/AppRunnerWebServiceCrashRoutes-Web/0123456789abcdef/application' },
      { logGroupName: 'AppRunnerWebServiceCustomDomain-WaiterLogs-XYZ' },
      { logGroupName: '/aws/lambda/OtherProject-Fn' },
    ].filter(g => g.logGroupName.startsWith(logGroupNamePrefix!)),
  }));
  logs.on(DeleteLogGroupCommand).resolves({});
});

const run = (lines: string[] = []) => deleteIntegStacks({
  prefix: 'AppRunnerWebService',
  cloudformation: new CloudFormationClient({}),
  logs: new CloudWatchLogsClient({}),
  pollMs: 1,
  maxWaitMs: 1_000,
  log: line => lines.push(line),
});

test('only this project\'s stacks, assertion stacks first; a stack in progress is waited for, then deleted', async () => {
  account({
    AppRunnerWebServiceCrashRoutes: ['UPDATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE'],
    AppRunnerWebServiceCrashRoutesTestDefaultTestDeployAssert2A33094D: ['CREATE_COMPLETE'],
    OtherProjectTestDefaultTestDeployAssert1234: ['CREATE_COMPLETE'],
    CrashRoutesTestDefaultTestDeployAssert2A33094D: ['CREATE_COMPLETE'],
  });
  const result = await run();
  const deletes = cfn.commandCalls(DeleteStackCommand).map(c => c.args[0].input.StackName);
  expect(deletes).toEqual(['AppRunnerWebServiceCrashRoutesTestDefaultTestDeployAssert2A33094D', 'AppRunnerWebServiceCrashRoutes']);
  expect(result.failures).toEqual([]);
  expect(result.deleted.sort()).toEqual(deletes.sort());
});

test('every stack is tried, and every failure is reported (exit code 1 from the command line)', async () => {
  account({
    AppRunnerWebServiceA: ['CREATE_COMPLETE'],
    AppRunnerWebServiceB: ['DELETE_FAILED'],
    AppRunnerWebServiceC: ['CREATE_IN_PROGRESS'], // never settles within the bound
    AppRunnerWebServiceD: ['ROLLBACK_COMPLETE'],
  }, ['AppRunnerWebServiceA']);
  const lines: string[] = [];
  const result = await run(lines);
  expect(cfn.commandCalls(DeleteStackCommand).map(c => c.args[0].input.StackName)).toEqual(['AppRunnerWebServiceA', 'AppRunnerWebServiceB', 'AppRunnerWebServiceD']);
  expect(result.deleted.sort()).toEqual(['AppRunnerWebServiceB', 'AppRunnerWebServiceD']);
  expect(result.failures).toEqual([
    'AppRunnerWebServiceC: still CREATE_IN_PROGRESS after 1 s',
    'AppRunnerWebServiceA: ended in DELETE_FAILED',
  ]);
  expect(lines.filter(l => l.startsWith('FAILED'))).toHaveLength(2);
});

test('the log groups of the services and functions are deleted, no one else\'s', async () => {
  account({ AppRunnerWebServiceCrashRoutes: ['CREATE_COMPLETE'] });
  const result = await run();
  expect(result.logGroupsDeleted.sort()).toEqual([
    '/aws/apprunner/AppRunnerWebServiceCrashRoutes-Web/0123456789abcdef/application',
    '/aws/apprunner/AppRunnerWebServiceCrashRoutes-Web/0123456789abcdef/service',
    '/aws/lambda/AppRunnerWebServiceCrashR-SingletonFunction-ABC',
    'AppRunnerWebServiceCustomDomain-WaiterLogs-XYZ',
  ]);
});

test('nothing left: says so and deletes nothing', async () => {
  account({});
  const lines: string[] = [];
  const result = await run(lines);
  expect(lines[0]).toBe('no integ stacks left');
  expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  expect(result.failures).toEqual([]);
});
