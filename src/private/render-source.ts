import type { IResolvable } from 'aws-cdk-lib';
import type { CfnService } from 'aws-cdk-lib/aws-apprunner';
import type { SourceConfig } from '../source';
import { DEFAULT_PORT } from './app-runner-defaults';

/** What the service adds to its source's description to render it. */
interface SourceRenderOptions {
  /** The ARN of the role App Runner pulls a private image with. */
  readonly accessRoleArn?: string;
  readonly autoDeploymentsEnabled?: boolean;
  readonly variables: IResolvable;
  readonly secrets: IResolvable;
}

/** App Runner's `SourceConfiguration` of a bound source: the one place it is written. */
export function renderSourceConfiguration(source: SourceConfig, options: SourceRenderOptions): CfnService.SourceConfigurationProperty {
  const { image, code } = source;
  const runtimeEnvironment = {
    runtimeEnvironmentVariables: options.variables,
    runtimeEnvironmentSecrets: options.secrets,
  };
  const values = code?.configuration.values;
  return {
    authenticationConfiguration: options.accessRoleArn || code
      ? { accessRoleArn: options.accessRoleArn, connectionArn: code?.connectionArn }
      : undefined,
    autoDeploymentsEnabled: options.autoDeploymentsEnabled,
    imageRepository: image && {
      imageIdentifier: image.imageIdentifier,
      imageRepositoryType: image.imageRepositoryType,
      imageConfiguration: {
        port: String(image.port ?? DEFAULT_PORT),
        startCommand: image.startCommand,
        ...runtimeEnvironment,
      },
    },
    codeRepository: code && {
      repositoryUrl: code.repositoryUrl,
      sourceCodeVersion: { type: 'BRANCH', value: code.branch },
      sourceDirectory: code.sourceDirectory,
      codeConfiguration: {
        configurationSource: code.configuration.configurationSource,
        codeConfigurationValues: values && {
          runtime: values.runtime.name,
          buildCommand: values.buildCommand,
          startCommand: values.startCommand,
          port: String(values.port ?? DEFAULT_PORT),
          ...runtimeEnvironment,
        },
      },
    },
  };
}
