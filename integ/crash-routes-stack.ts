// The stack of the crash-routes integration test, shared by integ.crash-routes.ts and the tests
// that run it locally (with variations that break it on purpose).
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { AppRunnerWebService, AppRunnerWebServiceProps, HealthCheck, Source } from '../src';

export interface CrashRoutesStackOptions {
  /** Overrides of the service's props. */
  readonly service?: Partial<AppRunnerWebServiceProps>;
  /** Leave TABLE_NAME out (to show the local run catches it). */
  readonly withoutTableName?: boolean;
}

export class CrashRoutesStack extends Stack {
  public readonly service: AppRunnerWebService;

  constructor(scope: Construct, id: string, options: CrashRoutesStackOptions = {}) {
    super(scope, id);
    const table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.service = new AppRunnerWebService(this, 'Web', {
      source: Source.fromSampleServer(),
      environment: options.withoutTableName ? {} : { TABLE_NAME: table.tableName },
      healthCheck: HealthCheck.http({ path: '/healthz' }),
      autoScaling: { minSize: 2, maxSize: 3 },
      ...options.service,
    });
    table.grantReadWriteData(this.service);
  }
}
