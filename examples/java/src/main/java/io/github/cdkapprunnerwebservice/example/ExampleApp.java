// The example app of cdk-apprunner-web-service, in Java: the sample server image, a DynamoDB
// table, TABLE_NAME, read/write access, an HTTP health check and auto scaling (the same app as
// ../app.ts); and the same service on ECS Express Mode: the same values, another builder.
package io.github.cdkapprunnerwebservice.example;

import java.util.Map;

import io.github.cdkapprunnerwebservice.AppRunnerWebService;
import io.github.cdkapprunnerwebservice.AutoScalingOptions;
import io.github.cdkapprunnerwebservice.EcsExpressWebService;
import io.github.cdkapprunnerwebservice.HealthCheck;
import io.github.cdkapprunnerwebservice.HttpHealthCheckOptions;
import io.github.cdkapprunnerwebservice.IWebService;
import io.github.cdkapprunnerwebservice.SampleServerOptions;
import io.github.cdkapprunnerwebservice.Source;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.Table;
import software.constructs.Construct;

public final class ExampleApp {
    static final class WebServiceStack extends Stack {
        WebServiceStack(final Construct scope, final String id, final boolean express, final StackProps props) {
            super(scope, id, props);

            Table table = Table.Builder.create(this, "Table")
                    .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                    .sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .removalPolicy(RemovalPolicy.DESTROY)
                    .build();

            IWebService service = express
                    // The same values on ECS Express Mode.
                    ? EcsExpressWebService.Builder.create(this, "Web")
                            .source(Source.fromSampleServer(SampleServerOptions.builder().crashRoutes(true).build()))
                            .environment(Map.of("TABLE_NAME", table.getTableName()))
                            .healthCheck(HealthCheck.http(HttpHealthCheckOptions.builder().path("/healthz").build()))
                            .autoScaling(AutoScalingOptions.builder().minSize(1).maxSize(4).build())
                            .build()
                    : appRunner(table);
            table.grantReadWriteData(service);

            CfnOutput.Builder.create(this, "ServiceUrl").value(service.getUrl()).build();
        }

        private AppRunnerWebService appRunner(final Table table) {
            AppRunnerWebService service = AppRunnerWebService.Builder.create(this, "Web")
                    .source(Source.fromSampleServer(SampleServerOptions.builder().crashRoutes(true).build()))
                    .environment(Map.of("TABLE_NAME", table.getTableName()))
                    .healthCheck(HealthCheck.http(HttpHealthCheckOptions.builder().path("/healthz").build()))
                    .autoScaling(AutoScalingOptions.builder().minSize(1).maxSize(4).build())
                    .build();
            return service;
        }
    }

    public static void main(final String[] args) {
        App app = new App();
        StackProps props = StackProps.builder()
                .env(Environment.builder()
                        .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                        .region(System.getenv("CDK_DEFAULT_REGION"))
                        .build())
                .build();
        new WebServiceStack(app, "AppRunnerWebServiceExample", false, props);
        new WebServiceStack(app, "AppRunnerWebServiceExpressExample", true, props);
        app.synth();
    }

    private ExampleApp() {
    }
}
