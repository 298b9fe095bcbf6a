import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { WebServiceStack } from '../examples/app';

describe('the example app', () => {
  const stack = new WebServiceStack(new App(), 'Example');
  const template = Template.fromStack(stack);

  test('has a service, its auto scaling, a table, and exactly the two roles and policies it needs', () => {
    template.resourceCountIs('AWS::AppRunner::Service', 1);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::IAM::Role', 2);
    template.resourceCountIs('AWS::IAM::Policy', 2);
    template.hasResourceProperties('AWS::AppRunner::AutoScalingConfiguration', { MinSize: 1, MaxSize: 4 });
    expect(Object.keys(template.toJSON().Resources)).toHaveLength(7);
  });

  test('passes the table name as TABLE_NAME and checks /healthz over HTTP', () => {
    template.hasResourceProperties('AWS::AppRunner::Service', {
      SourceConfiguration: {
        ImageRepository: {
          ImageRepositoryType: 'ECR',
          ImageConfiguration: {
            Port: '8080',
            RuntimeEnvironmentVariables: [
              { Name: 'CRASH_ROUTES', Value: 'on' },
              { Name: 'AWS_REGION', Value: { Ref: 'AWS::Region' } },
              { Name: 'INSTANCE_MEMORY_MB', Value: '2048' },
              { Name: 'TABLE_NAME', Value: { Ref: Match.stringLikeRegexp('Table') } },
            ],
          },
        },
      },
      HealthCheckConfiguration: { Protocol: 'HTTP', Path: '/healthz' },
    });
  });

  test('lets the instance role read and write the table, keyed pk/sk', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('WebInstanceRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: Match.arrayWith(['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem']),
          Resource: Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('Table'), 'Arn'] }]),
        })]),
      },
    });
  });
});
