import { awscdk, github } from 'projen';

// Integration tests in a real account, on demand (and weekly): assume a role through GitHub OIDC,
// let integ-runner deploy every test stack and its assertions, then destroy them. The last step
// runs even when a test or the runner failed, and deletes whatever test stacks and log groups are left.
export function addIntegWorkflow(project: awscdk.AwsCdkConstructLibrary): void {
  // Every test stack and assertion stack starts with it (the integ apps' stack and IntegTest ids).
  const INTEG_STACK_PREFIX = 'AppRunnerWebService';
  const integWorkflow = project.github!.addWorkflow('integ');
  integWorkflow.on({
    workflowDispatch: {
      inputs: {
        region: { description: 'AWS Region (one where App Runner runs)', required: false, type: 'string', default: 'us-east-1' },
      },
    },
    schedule: [{ cron: '0 5 * * 1' }],
  });
  integWorkflow.addJobs({
    integ: {
      name: 'Deploy, assert and destroy the integ tests',
      runsOn: ['ubuntu-latest'],
      permissions: { idToken: github.workflows.JobPermission.WRITE, contents: github.workflows.JobPermission.READ },
      // Rendered as given (projen does not rename the keys of `concurrency`).
      concurrency: { 'group': 'integ', 'cancel-in-progress': false },
      timeoutMinutes: 120,
      env: {
        AWS_REGION: "${{ inputs.region || 'us-east-1' }}",
        CI: 'true',
        JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
      },
      steps: [
        github.WorkflowSteps.checkout(),
        { name: 'Set up Node.js', uses: github.ActionRefs.ACTIONS_SETUP_NODE, with: { 'node-version': '22.x' } },
        { name: 'Install dependencies', run: 'npm ci' },
        {
          name: 'Assume the integ role',
          uses: github.ActionRefs.AWS_ACTIONS_CONFIGURE_AWS_CREDENTIALS,
          with: {
            'role-to-assume': '${{ vars.INTEG_ROLE_ARN }}',
            'aws-region': '${{ env.AWS_REGION }}',
            'role-session-name': 'cdk-apprunner-web-service-integ',
          },
        },
        {
          name: 'Deploy, assert and destroy',
          run: 'npx projen integ --force --parallel-regions "$AWS_REGION" --exclude integ.code-repository.ts integ.custom-domain.ts',
        },
        {
          name: 'Delete the test stacks and log groups that are left',
          if: 'always()',
          run: `npx ts-node --transpile-only build-tools/delete-integ-stacks.ts ${INTEG_STACK_PREFIX}`,
        },
      ],
    },
  });
}
