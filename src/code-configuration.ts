import { Token } from 'aws-cdk-lib';
import { validateCommand, validatePort } from './private/validation';

/**
 * How App Runner builds and runs code from a repository.
 */
export enum ConfigurationSource {
  /** From `apprunner.yaml` in the repository. */
  REPOSITORY = 'REPOSITORY',
  /** From the values given here (`CodeConfiguration.fromApi`). */
  API = 'API',
}

/**
 * A runtime App Runner builds and runs repository code with.
 *
 * @see https://docs.aws.amazon.com/apprunner/latest/api/API_CodeConfigurationValues.html
 */
export class Runtime {
  /** Corretto 8. */
  public static readonly CORRETTO_8 = new Runtime('CORRETTO_8');
  /** Corretto 11. */
  public static readonly CORRETTO_11 = new Runtime('CORRETTO_11');
  /** .NET 6. */
  public static readonly DOTNET_6 = new Runtime('DOTNET_6');
  /** Go 1. */
  public static readonly GO_1 = new Runtime('GO_1');
  /** Node.js 12. */
  public static readonly NODEJS_12 = new Runtime('NODEJS_12');
  /** Node.js 14. */
  public static readonly NODEJS_14 = new Runtime('NODEJS_14');
  /** Node.js 16. */
  public static readonly NODEJS_16 = new Runtime('NODEJS_16');
  /** Node.js 18. */
  public static readonly NODEJS_18 = new Runtime('NODEJS_18');
  /** Node.js 22. */
  public static readonly NODEJS_22 = new Runtime('NODEJS_22');
  /** PHP 8.1. */
  public static readonly PHP_81 = new Runtime('PHP_81');
  /** Python 3 (3.7). */
  public static readonly PYTHON_3 = new Runtime('PYTHON_3');
  /** Python 3.11. */
  public static readonly PYTHON_311 = new Runtime('PYTHON_311');
  /** Ruby 3.1. */
  public static readonly RUBY_31 = new Runtime('RUBY_31');

  /** A runtime this library does not list yet, by its API name. */
  public static of(name: string): Runtime {
    return new Runtime(name);
  }

  private constructor(
    /** The API name of the runtime. */
    public readonly name: string,
  ) {}
}

/**
 * Build and run settings given through the API instead of `apprunner.yaml`.
 */
export interface ApiCodeConfigurationOptions {
  /** The runtime to build and run with. */
  readonly runtime: Runtime;

  /**
   * The command that builds the code.
   * @default - none
   */
  readonly buildCommand?: string;

  /**
   * The command that starts the application.
   * @default - the runtime's default
   */
  readonly startCommand?: string;

  /**
   * The port the application listens on.
   * @default 8080
   */
  readonly port?: number;
}

/**
 * Where App Runner finds the build and run settings of a code repository.
 */
export class CodeConfiguration {
  /**
   * Read them from `apprunner.yaml` in the repository (its environment, port and
   * commands included; the service's `environment` and `secrets` must then stay empty).
   */
  public static fromRepository(): CodeConfiguration {
    return new CodeConfiguration(ConfigurationSource.REPOSITORY, undefined);
  }

  /**
   * Give them here; any `apprunner.yaml` is ignored.
   */
  public static fromApi(options: ApiCodeConfigurationOptions): CodeConfiguration {
    validatePort(options.port);
    validateCommand('buildCommand', options.buildCommand);
    validateCommand('startCommand', options.startCommand);
    return new CodeConfiguration(ConfigurationSource.API, options);
  }

  private constructor(
    /** Repository file or API. */
    public readonly configurationSource: ConfigurationSource,
    /** The values, for `ConfigurationSource.API`. */
    public readonly values: ApiCodeConfigurationOptions | undefined,
  ) {}
}

/**
 * A connection App Runner uses to reach a source code provider.
 * Connections are made in the App Runner console (a GitHub app handshake);
 * CloudFormation cannot create them.
 */
export class GitHubConnection {
  /**
   * An existing connection, by ARN.
   */
  public static fromConnectionArn(connectionArn: string): GitHubConnection {
    if (!Token.isUnresolved(connectionArn) && !/^arn:aws[\w-]*:apprunner:[\w-]+:\d{12}:connection\/.+/.test(connectionArn)) {
      throw new Error(`\`connection\` must be an App Runner connection ARN (arn:aws:apprunner:<region>:<account>:connection/<name>/<id>), got '${connectionArn}'`);
    }
    return new GitHubConnection(connectionArn);
  }

  private constructor(
    /** The ARN of the connection. */
    public readonly connectionArn: string,
  ) {}
}

/**
 * Properties of `Source.fromCodeRepository`.
 */
export interface CodeRepositorySourceProps {
  /** The connection to the provider. */
  readonly connection: GitHubConnection;

  /** The repository URL, e.g. `https://github.com/owner/repo`. */
  readonly repositoryUrl: string;

  /** The branch to deploy. */
  readonly branch: string;

  /**
   * The directory of the repository that holds the application (1-4096 characters).
   * @default - the repository root
   */
  readonly sourceDirectory?: string;

  /** Where the build and run settings come from. */
  readonly configuration: CodeConfiguration;
}

/**
 * The code half of what a source hands the service.
 */
export interface CodeSourceConfig {
  /** The repository URL. */
  readonly repositoryUrl: string;
  /** The branch. */
  readonly branch: string;
  /**
   * The directory of the application.
   * @default - the repository root
   */
  readonly sourceDirectory?: string;
  /** The connection ARN. */
  readonly connectionArn: string;
  /** Build and run settings. */
  readonly configuration: CodeConfiguration;
}
