// The stack a user moving from the L1 CfnService writes: a web service built from a local
// Dockerfile directory (the sample server in assets/sample-server), a DynamoDB table, the
// table's name in TABLE_NAME, read/write access granted, an HTTP health check and auto scaling;
// and the same service on ECS Express Mode, from the same props.
// The same app in Python, Java and Go is in python/, java/ and go/ (build-tools/check-bindings.ts
// checks that they synthesize the same template). In your own app, import from
// 'cdk-apprunner-web-service' (and use Source.fromAsset('./your-app') for your own image).
import { App, CfnOutput, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { AppRunnerWebService, AppRunnerWebServiceProps, EcsExpressWebService, EcsExpressWebServiceProps, HealthCheck, Source } from '../src';

export interface WebServiceStackProps extends StackProps {
  /** Overrides of the service's props (the integration tests add auto scaling, or break it on purpose). */
  readonly service?: Partial<AppRunnerWebServiceProps>;
  /** Leave TABLE_NAME out (to show that the local run catches it). */
  readonly withoutTableName?: boolean;
}

export class WebServiceStack extends Stack {
  public readonly service: AppRunnerWebService;
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: WebServiceStackProps = {}) {
    super(scope, id, props);

    this.table = exampleTable(this);

    this.service = new AppRunnerWebService(this, 'Web', { ...exampleServiceProps(this.table, props.withoutTableName), ...props.service });
    this.table.grantReadWriteData(this.service);

    new CfnOutput(this, 'ServiceUrl', { value: this.service.url });
  }
}

/** The example's table: keyed `pk`/`sk`, on demand, destroyed with the stack. */
export function exampleTable(scope: Construct): dynamodb.Table {
  return new dynamodb.Table(scope, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    removalPolicy: RemovalPolicy.DESTROY,
  });
}

/**
 * The example service's props: valid for `AppRunnerWebService` and `EcsExpressWebService` alike,
 * so moving the service is a change of class name.
 */
export function exampleServiceProps(table: dynamodb.ITable, withoutTableName = false): AppRunnerWebServiceProps & EcsExpressWebServiceProps {
  return {
    source: Source.fromSampleServer({ crashRoutes: true }),
    environment: withoutTableName ? {} : { TABLE_NAME: table.tableName },
    healthCheck: HealthCheck.http({ path: '/healthz' }),
    autoScaling: { minSize: 1, maxSize: 4 },
  };
}

/** The same example on ECS Express Mode: the same props, another class. */
export class ExpressWebServiceStack extends Stack {
  public readonly service: EcsExpressWebService;
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: StackProps & { readonly service?: Partial<EcsExpressWebServiceProps> } = {}) {
    super(scope, id, props);
    this.table = exampleTable(this);
    this.service = new EcsExpressWebService(this, 'Web', { ...exampleServiceProps(this.table), ...props.service });
    this.table.grantReadWriteData(this.service);
    new CfnOutput(this, 'ServiceUrl', { value: this.service.url });
  }
}

/** The example on App Runner, and the same service on ECS Express Mode beside it. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  new WebServiceStack(app, 'AppRunnerWebServiceExample', { env });
  new ExpressWebServiceStack(app, 'AppRunnerWebServiceExpressExample', { env });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
