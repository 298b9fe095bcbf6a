// cdk-nag's AWS Solutions checks over the example app and the integration test stacks.
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { WebServiceStack } from '../examples/app';
import { CrashRoutesStack } from '../integ/crash-routes-stack';

function nag(build: (app: App) => Stack) {
  const app = new App();
  const stack = build(app);
  Aspects.of(app).add(new AwsSolutionsChecks());
  const annotations = Annotations.fromStack(stack);
  return {
    errors: annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')).map(m => `${m.id}: ${m.entry.data}`),
    warnings: annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')).map(m => `${m.id}: ${m.entry.data}`),
  };
}

describe('cdk-nag AwsSolutions', () => {
  test.each([
    ['the example app', (app: App) => new WebServiceStack(app, 'Example')],
    ['the crash-routes integ stack', (app: App) => new CrashRoutesStack(app, 'CrashRoutes')],
  ])('%s has no unsuppressed error', (_name, build) => {
    const { errors, warnings } = nag(build);
    expect(errors).toEqual([]);
    // eslint-disable-next-line no-console
    console.log(`cdk-nag: ${_name}: 0 errors, warnings: ${warnings.map(w => /AwsSolutions-[A-Z0-9]+/.exec(w)?.[0]).join(', ') || 'none'}`);
  });
});
