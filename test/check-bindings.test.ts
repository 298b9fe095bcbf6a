// The comparison behind `npx projen check:bindings`: what it ignores, and that it catches a
// changed prop (the same change in examples/python/app.py made the Python check fail).
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { differences, normalize } from '../build-tools/check-bindings';
import { WebServiceStack, WebServiceStackProps } from '../examples/app';

function template(props: WebServiceStackProps = {}): any {
  return Template.fromStack(new WebServiceStack(new App(), 'AppRunnerWebServiceExample', props)).toJSON();
}

test('the same app gives no difference', () => {
  expect(differences(normalize(template()), normalize(template()))).toEqual([]);
});

test('a changed prop is a difference, named by its path', () => {
  const changed = template({ service: { autoScaling: { minSize: 1, maxSize: 5 } } });
  expect(differences(normalize(template()), normalize(changed))).toEqual([
    expect.stringMatching(/^\/Resources\/WebAutoScaling<id>\/Properties\/MaxSize: TypeScript 4 ≠ 5$/),
  ]);
});

test('asset hashes, resource metadata and CDK metadata are not differences; anything else is', () => {
  const a = template();
  const b = JSON.parse(JSON.stringify(a).replace(/[0-9a-f]{64}/g, 'f'.repeat(64)));
  for (const resource of Object.values<any>(b.Resources)) {
    resource.Metadata = { 'aws:cdk:path': 'elsewhere', 'aws:asset:path': '/tmp/jsii-kernel-123/node_modules/x' };
  }
  b.Resources.CDKMetadata = { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2:deflate64:python' } };
  expect(differences(normalize(a), normalize(b))).toEqual([]);
  b.Outputs.ServiceUrl.Value = 'elsewhere';
  expect(differences(normalize(a), normalize(b))).toHaveLength(1);
});
