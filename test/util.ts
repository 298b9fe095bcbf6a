import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AppRunnerWebService, AppRunnerWebServiceProps, Source } from '../src';

export const PUBLIC_IMAGE = 'public.ecr.aws/aws-containers/hello-app-runner:latest';

/** A fresh stack in an App Runner Region. */
export function newStack(region = 'us-east-1'): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '123456789012', region } });
}

/** A service from ECR Public with the given extra props, and its template. */
export function synthService(props: Partial<AppRunnerWebServiceProps> = {}, stack = newStack()) {
  const service = new AppRunnerWebService(stack, 'Web', {
    source: Source.fromEcrPublic(PUBLIC_IMAGE, { port: 8000 }),
    ...props,
  });
  // The template is read on first use, so a test can add grants before synthesis.
  let template: Template | undefined;
  return {
    stack,
    service,
    get template(): Template {
      template ??= Template.fromStack(stack);
      return template;
    },
  };
}
