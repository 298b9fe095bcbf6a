// Deletes what an integ run left in the account (integ-runner destroys what it deployed, but not
// when the runner itself was cancelled or crashed): this project's stacks — every test stack and
// assertion stack starts with the prefix — and the log groups their services and functions
// created, which outlive the stacks. Run by the integ workflow's last step, `if: always()`:
//
//   npx ts-node --transpile-only build-tools/delete-integ-stacks.ts AppRunnerWebService
//
// A stack still in progress (a cancelled run leaves some) is waited for, then deleted. Every stack
// is tried; the failures are reported together at the end, and the exit code is 1 if there was one.
import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  StackStatus,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DeleteLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';

export interface CleanupOptions {
  readonly prefix: string;
  readonly cloudformation?: CloudFormationClient;
  readonly logs?: CloudWatchLogsClient;
  /** Between two looks at a stack that is still changing. */
  readonly pollMs?: number;
  /** The most a stack is waited for, per wait. */
  readonly maxWaitMs?: number;
  readonly log?: (line: string) => void;
}

export interface CleanupResult {
  readonly deleted: string[];
  readonly logGroupsDeleted: string[];
  readonly failures: string[];
}

const GONE = 'DELETE_COMPLETE';

export async function deleteIntegStacks(options: CleanupOptions): Promise<CleanupResult> {
  const cfn = options.cloudformation ?? new CloudFormationClient({});
  const logs = options.logs ?? new CloudWatchLogsClient({});
  const say = options.log ?? ((line: string) => console.log(line));
  const pollMs = options.pollMs ?? 15_000;
  const maxWaitMs = options.maxWaitMs ?? 60 * 60_000;
  const failures: string[] = [];
  const deleted: string[] = [];

  const stacks = await ourStacks(cfn, options.prefix);
  if (stacks.length === 0) say('no integ stacks left');
  // Assertion stacks first: they read the test stacks' outputs.
  stacks.sort((a, b) => Number(!a.includes('DeployAssert')) - Number(!b.includes('DeployAssert')) || a.localeCompare(b));

  const logGroupPrefixes = new Set([`/aws/lambda/${options.prefix}`, options.prefix]);
  const status = async (name: string): Promise<string> => {
    try {
      const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: name }));
      return Stacks?.[0]?.StackStatus ?? GONE;
    } catch (err: any) {
      if (/does not exist/.test(err?.message ?? '')) return GONE;
      throw err;
    }
  };
  /** The stack's status once it is no longer changing (or after maxWaitMs). */
  const settled = async (name: string): Promise<string> => {
    const deadline = Date.now() + maxWaitMs;
    let current = await status(name);
    while (current.endsWith('_IN_PROGRESS') && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, pollMs));
      current = await status(name);
    }
    return current;
  };

  // Each stack is tried; one failure does not stop the others.
  const started: string[] = [];
  for (const name of stacks) {
    try {
      let current = await settled(name);
      if (current === GONE) continue;
      if (current.endsWith('_IN_PROGRESS')) throw new Error(`still ${current} after ${Math.round(maxWaitMs / 1000)} s`);
      // The App Runner services' log groups, named after each service, outlive the stack.
      for (const prefix of await serviceLogGroupPrefixes(cfn, name)) logGroupPrefixes.add(prefix);
      say(`deleting ${name} (${current})`);
      await cfn.send(new DeleteStackCommand({ StackName: name }));
      started.push(name);
      // An assertion stack must be gone before the test stack it reads from is deleted.
      if (name.includes('DeployAssert')) {
        current = await settled(name);
        if (current !== GONE) throw new Error(`ended in ${current}`);
        deleted.push(name);
      }
    } catch (err: any) {
      failures.push(`${name}: ${err?.message ?? err}`);
    }
  }
  for (const name of started.filter(n => !n.includes('DeployAssert'))) {
    try {
      const current = await settled(name);
      if (current !== GONE) throw new Error(`ended in ${current}`);
      deleted.push(name);
    } catch (err: any) {
      failures.push(`${name}: ${err?.message ?? err}`);
    }
  }

  const logGroupsDeleted: string[] = [];
  for (const prefix of logGroupPrefixes) {
    try {
      for (const group of await logGroups(logs, prefix)) {
        await logs.send(new DeleteLogGroupCommand({ logGroupName: group }));
        logGroupsDeleted.push(group);
        say(`deleted log group ${group}`);
      }
    } catch (err: any) {
      failures.push(`log groups ${prefix}*: ${err?.message ?? err}`);
    }
  }

  for (const failure of failures) say(`FAILED ${failure}`);
  return { deleted, logGroupsDeleted, failures };
}

/** This project's stacks that exist in any state (in progress included), by name prefix only. */
async function ourStacks(cfn: CloudFormationClient, prefix: string): Promise<string[]> {
  const live = Object.values(StackStatus).filter(s => s !== GONE);
  const names = new Set<string>();
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListStacksCommand({ StackStatusFilter: live, NextToken: token }));
    for (const summary of page.StackSummaries ?? []) {
      if (summary.StackName?.startsWith(prefix)) names.add(summary.StackName);
    }
    token = page.NextToken;
  } while (token);
  return [...names];
}

/** `/aws/apprunner/<name>/<id>` of each App Runner service of the stack. */
async function serviceLogGroupPrefixes(cfn: CloudFormationClient, stackName: string): Promise<string[]> {
  const prefixes: string[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: token }));
    for (const resource of page.StackResourceSummaries ?? []) {
      const arn = resource.ResourceType === 'AWS::AppRunner::Service' ? resource.PhysicalResourceId : undefined;
      const match = arn ? /:service\/([^/]+)\/([^/]+)$/.exec(arn) : null;
      if (match) prefixes.push(`/aws/apprunner/${match[1]}/${match[2]}/`);
    }
    token = page.NextToken;
  } while (token);
  return prefixes;
}

async function logGroups(logs: CloudWatchLogsClient, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, nextToken: token }));
    for (const group of page.logGroups ?? []) if (group.logGroupName) names.push(group.logGroupName);
    token = page.nextToken;
  } while (token);
  return names;
}

if (require.main === module) {
  const prefix = process.argv[2];
  if (!prefix || prefix.length < 8) {
    console.error('usage: delete-integ-stacks.ts <stack name prefix of at least 8 characters>');
    process.exit(2);
  }
  deleteIntegStacks({ prefix }).then(
    result => process.exit(result.failures.length > 0 ? 1 : 0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
