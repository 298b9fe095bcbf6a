import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';

/**
 * Which version of a Secrets Manager secret to read.
 */
export interface SecretVersionInfo {
  /**
   * The version's ID.
   * @default - the version with the stage given in `versionStage`, or AWSCURRENT
   */
  readonly versionId?: string;

  /**
   * The version's staging label.
   * @default - the version given in `versionId`, or AWSCURRENT
   */
  readonly versionStage?: string;
}

/**
 * A value App Runner reads from Secrets Manager or SSM Parameter Store when an
 * instance starts, and hands the container as an environment variable.
 *
 * The service grants its instance role read access (and `kms:Decrypt` on a
 * customer managed key, where the secret or parameter declares one).
 *
 * @see https://docs.aws.amazon.com/apprunner/latest/dg/env-variable.html
 */
export abstract class Secret {
  /**
   * A Secrets Manager secret, whole or one JSON field of it.
   *
   * @param secret the secret
   * @param field a top-level JSON key whose value to use
   */
  public static fromSecretsManager(secret: secretsmanager.ISecret, field?: string): Secret {
    return Secret.fromSecretsManagerVersion(secret, {}, field);
  }

  /**
   * A given version of a Secrets Manager secret, whole or one JSON field of it.
   *
   * @param secret the secret
   * @param version the version ID and/or staging label
   * @param field a top-level JSON key whose value to use
   */
  public static fromSecretsManagerVersion(
    secret: secretsmanager.ISecret,
    version: SecretVersionInfo,
    field?: string,
  ): Secret {
    // App Runner takes the same reference format as ECS:
    // <secret ARN>:<json key>:<version stage>:<version id>, empty parts allowed.
    const suffix = [field ?? '', version.versionStage ?? '', version.versionId ?? ''];
    const arn = suffix.some(part => part !== '') ? `${secret.secretArn}:${suffix.join(':')}` : secret.secretArn;
    return new SecretsManagerSecret(arn, secret, version.versionStage);
  }

  /**
   * An SSM parameter (String, StringList or SecureString) of the same account.
   */
  public static fromSsmParameter(parameter: ssm.IParameter): Secret {
    return new SsmSecret(parameter);
  }

  /**
   * The value App Runner receives: the ARN of the secret or parameter.
   */
  public abstract readonly arn: string;

  /**
   * Grants read access to the secret or parameter.
   */
  public abstract grantRead(grantee: iam.IGrantable): iam.Grant;
}

class SecretsManagerSecret extends Secret {
  constructor(
    public readonly arn: string,
    private readonly secret: secretsmanager.ISecret,
    private readonly versionStage?: string,
  ) {
    super();
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.secret.grantRead(grantee, this.versionStage ? [this.versionStage] : undefined);
  }
}

class SsmSecret extends Secret {
  public readonly arn: string;

  constructor(private readonly parameter: ssm.IParameter) {
    super();
    this.arn = parameter.parameterArn;
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.parameter.grantRead(grantee);
  }
}
