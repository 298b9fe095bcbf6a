// The example app of cdk-apprunner-web-service, in Go: the sample server image, a DynamoDB table,
// TABLE_NAME, read/write access, an HTTP health check and auto scaling (the same app as ../app.ts);
// and the same service on ECS Express Mode: the same values, another constructor.
package main

import (
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	arws "github.com/cdk-apprunner-web-service/cdk-apprunner-web-service-go/cdkapprunnerwebservice"
)

func newWebServiceStack(scope constructs.Construct, id string, express bool, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)

	table := awsdynamodb.NewTable(stack, jsii.String("Table"), &awsdynamodb.TableProps{
		PartitionKey:  &awsdynamodb.Attribute{Name: jsii.String("pk"), Type: awsdynamodb.AttributeType_STRING},
		SortKey:       &awsdynamodb.Attribute{Name: jsii.String("sk"), Type: awsdynamodb.AttributeType_STRING},
		BillingMode:   awsdynamodb.BillingMode_PAY_PER_REQUEST,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})

	var service arws.IWebService
	if express {
		// The same values on ECS Express Mode.
		service = arws.NewEcsExpressWebService(stack, jsii.String("Web"), &arws.EcsExpressWebServiceProps{
			Source:      arws.Source_FromSampleServer(&arws.SampleServerOptions{CrashRoutes: jsii.Bool(true)}),
			Environment: &map[string]*string{"TABLE_NAME": table.TableName()},
			HealthCheck: arws.HealthCheck_Http(&arws.HttpHealthCheckOptions{Path: jsii.String("/healthz")}),
			AutoScaling: &arws.AutoScalingOptions{MinSize: jsii.Number(1), MaxSize: jsii.Number(4)},
		})
	} else {
		// Typed props all the way down: a wrong field is a compile error, not an empty SourceConfiguration.
		service = arws.NewAppRunnerWebService(stack, jsii.String("Web"), &arws.AppRunnerWebServiceProps{
			Source:      arws.Source_FromSampleServer(&arws.SampleServerOptions{CrashRoutes: jsii.Bool(true)}),
			Environment: &map[string]*string{"TABLE_NAME": table.TableName()},
			HealthCheck: arws.HealthCheck_Http(&arws.HttpHealthCheckOptions{Path: jsii.String("/healthz")}),
			AutoScaling: &arws.AutoScalingOptions{MinSize: jsii.Number(1), MaxSize: jsii.Number(4)},
		})
	}
	table.GrantReadWriteData(service)

	awscdk.NewCfnOutput(stack, jsii.String("ServiceUrl"), &awscdk.CfnOutputProps{Value: service.Url()})
	return stack
}

func main() {
	defer jsii.Close()

	app := awscdk.NewApp(nil)
	props := &awscdk.StackProps{
		Env: &awscdk.Environment{Account: envOrNil("CDK_DEFAULT_ACCOUNT"), Region: envOrNil("CDK_DEFAULT_REGION")},
	}
	newWebServiceStack(app, "AppRunnerWebServiceExample", false, props)
	newWebServiceStack(app, "AppRunnerWebServiceExpressExample", true, props)
	app.Synth(nil)
}

func envOrNil(name string) *string {
	if value, ok := os.LookupEnv(name); ok && value != "" {
		return jsii.String(value)
	}
	return nil
}
