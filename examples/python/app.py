"""The example app of cdk-apprunner-web-service, in Python: the sample server image, a DynamoDB table,
TABLE_NAME, read/write access, an HTTP health check and auto scaling (the same app as ../app.ts); and the
same service on ECS Express Mode: the same props, another class."""
import os

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from cdk_apprunner_web_service import AppRunnerWebService, AutoScalingOptions, EcsExpressWebService, HealthCheck, Source


class WebServiceStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, express: bool = False, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        table = dynamodb.Table(
            self,
            "Table",
            partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name="sk", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )

        # On App Runner, or the same props on ECS Express Mode.
        service = (EcsExpressWebService if express else AppRunnerWebService)(
            self,
            "Web",
            source=Source.from_sample_server(crash_routes=True),
            environment={"TABLE_NAME": table.table_name},
            health_check=HealthCheck.http(path="/healthz"),
            auto_scaling=AutoScalingOptions(min_size=1, max_size=4),
        )
        table.grant_read_write_data(service)

        cdk.CfnOutput(self, "ServiceUrl", value=service.url)


app = cdk.App()
env = cdk.Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION"))
WebServiceStack(app, "AppRunnerWebServiceExample", env=env)
WebServiceStack(app, "AppRunnerWebServiceExpressExample", express=True, env=env)
app.synth()
