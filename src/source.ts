import * as path from 'node:path';
import { Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import { Construct } from 'constructs';
import { validateIntegerRange } from './private/validation';

/**
 * Where the image comes from.
 */
export enum ImageRepositoryType {
  /** A private Amazon ECR repository (an App Runner access role pulls from it). */
  ECR = 'ECR',
  /** Amazon ECR Public (no access role, no automatic deployments). */
  ECR_PUBLIC = 'ECR_PUBLIC',
}

/**
 * How the container of an image source starts.
 */
export interface ImageSourceOptions {
  /**
   * The port the container listens on. App Runner also passes it as the `PORT`
   * environment variable.
   * @default 8080
   */
  readonly port?: number;

  /**
   * A command that replaces the image's entry point and command.
   * @default - the image's own ENTRYPOINT and CMD
   */
  readonly startCommand?: string;
}

/**
 * Options of `Source.fromAsset`: how to build the image, and how to run it.
 */
export interface AssetSourceOptions extends ImageSourceOptions {
  /**
   * The Dockerfile, relative to the directory.
   * @default 'Dockerfile'
   */
  readonly file?: string;

  /**
   * Build arguments (`--build-arg`).
   * @default - none
   */
  readonly buildArgs?: { [name: string]: string };

  /**
   * The stage of a multi-stage Dockerfile to build (`--target`).
   * @default - the last stage
   */
  readonly target?: string;

  /**
   * The platform to build for. App Runner runs x86-64 instances only.
   * @default Platform.LINUX_AMD64
   */
  readonly platform?: ecr_assets.Platform;

  /**
   * Glob patterns of files to leave out of the build context, on top of `.dockerignore`.
   * @default - only what `.dockerignore` excludes
   */
  readonly exclude?: string[];
}

/**
 * Options of `Source.fromEcr`.
 */
export interface EcrSourceOptions extends ImageSourceOptions {
  /**
   * The image tag, or a digest (`sha256:...`).
   * @default 'latest'
   */
  readonly tagOrDigest?: string;
}

/**
 * The image half of what a source hands the service.
 */
export interface ImageSourceConfig {
  /** The image URI. */
  readonly imageIdentifier: string;
  /** Private ECR or ECR Public. */
  readonly imageRepositoryType: ImageRepositoryType;
  /**
   * The port the container listens on.
   * @default 8080
   */
  readonly port?: number;
  /**
   * The start command.
   * @default - the image's own
   */
  readonly startCommand?: string;

  /**
   * Environment variables the image itself needs; the service adds them to its own.
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * The name of an environment variable the service sets to the instance memory in MB
   * (when `memory` is known at synth time), for servers that size their heap by it.
   * @default - none
   */
  readonly instanceMemoryVariable?: string;
}

/**
 * Options of `Source.fromSampleServer`.
 */
export interface SampleServerOptions {
  /**
   * Whether a supervisor process runs the server in several worker processes and replaces
   * any that dies, so a crash costs only the requests of that worker. `false` runs one
   * process, as most images do: a crash then takes the instance down until App Runner
   * replaces it.
   * @default true
   */
  readonly supervisor?: boolean;

  /**
   * Worker processes under the supervisor.
   * @default - one per CPU the instance has
   */
  readonly workers?: number;
}

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

/**
 * What a source hands the service it is bound to.
 */
export interface SourceConfig {
  /**
   * The image to run (exactly one of `image` and `code` is set).
   * @default - not an image source
   */
  readonly image?: ImageSourceConfig;

  /**
   * The code to build and run.
   * @default - not a code source
   */
  readonly code?: CodeSourceConfig;

  /**
   * The private repository App Runner pulls from; the service gives its access role
   * pull rights on it.
   * @default - no access role is needed
   */
  readonly ecrRepository?: ecr.IRepository;
}

/**
 * What an App Runner service runs: an image or a code repository.
 */
export abstract class Source {
  /**
   * The directory of the sample server (its Dockerfile and code), for building it yourself.
   */
  public static readonly SAMPLE_SERVER_DIRECTORY = path.join(__dirname, '..', 'assets', 'sample-server');

  /**
   * An image built from a local directory with a Dockerfile, at deploy time
   * (a `DockerImageAsset` in the service's scope, for linux/amd64 by default).
   *
   * @param directory the build context
   */
  public static fromAsset(directory: string, options: AssetSourceOptions = {}): Source {
    return new AssetSource(directory, options);
  }

  /**
   * The sample server shipped with this library (`assets/sample-server`): a small Node.js
   * server with a page on `/`, a health check on `/healthz`, crash routes (`/panic`, `/exit`,
   * `/fatal`, `/use-all-memory`) and DynamoDB routes on the table named by `TABLE_NAME`.
   * It listens on 8080; pair it with `HealthCheck.http({ path: '/healthz' })`.
   */
  public static fromSampleServer(options: SampleServerOptions = {}): Source {
    validateIntegerRange('workers', options.workers, 1, 64);
    const environment: { [name: string]: string } = {};
    if (options.supervisor === false) environment.SUPERVISOR = 'off';
    if (options.workers !== undefined) environment.WEB_CONCURRENCY = String(options.workers);
    return new ImageSource(imageOptions({}), (scope) => {
      const asset = new ecr_assets.DockerImageAsset(scope, 'ImageAsset', {
        directory: Source.SAMPLE_SERVER_DIRECTORY,
        platform: ecr_assets.Platform.LINUX_AMD64,
      });
      return { imageIdentifier: asset.imageUri, repository: asset.repository };
    }, { environment, instanceMemoryVariable: 'INSTANCE_MEMORY_MB' });
  }

  /**
   * An image already defined as a `DockerImageAsset`.
   */
  public static fromDockerImageAsset(asset: ecr_assets.DockerImageAsset, options: ImageSourceOptions = {}): Source {
    return new ImageSource(imageOptions(options), () => ({
      imageIdentifier: asset.imageUri,
      repository: asset.repository,
    }));
  }

  /**
   * An image in a private Amazon ECR repository.
   */
  public static fromEcr(repository: ecr.IRepository, options: EcrSourceOptions = {}): Source {
    return new ImageSource(imageOptions(options), () => ({
      imageIdentifier: repository.repositoryUriForTagOrDigest(options.tagOrDigest ?? 'latest'),
      repository,
    }));
  }

  /**
   * An image on Amazon ECR Public, by URI (`public.ecr.aws/<alias>/<name>:<tag>`).
   */
  public static fromEcrPublic(imageUri: string, options: ImageSourceOptions = {}): Source {
    if (!Token.isUnresolved(imageUri) && !imageUri.startsWith('public.ecr.aws/')) {
      throw new Error(
        `\`imageUri\` of Source.fromEcrPublic must start with 'public.ecr.aws/', got '${imageUri}'; ` +
        'for a private repository use Source.fromEcr',
      );
    }
    return new ImageSource(imageOptions(options), () => ({ imageIdentifier: imageUri }));
  }

  /**
   * Code in a source repository that App Runner builds itself.
   */
  public static fromCodeRepository(props: CodeRepositorySourceProps): Source {
    const dir = props.sourceDirectory;
    if (dir !== undefined && !Token.isUnresolved(dir) && (dir.length < 1 || dir.length > 4096)) {
      throw new Error(`\`sourceDirectory\` must be 1-4096 characters, got ${dir.length}`);
    }
    return new CodeRepositorySource(props);
  }

  /**
   * Called by the service once, with the service as scope.
   */
  public abstract bind(scope: Construct): SourceConfig;
}

function validatePort(port: number | undefined): void {
  validateIntegerRange('port', port, 1, 65535);
}

function validateCommand(prop: string, command: string | undefined): void {
  if (command !== undefined && !Token.isUnresolved(command) && /[\r\n]/.test(command)) {
    throw new Error(`\`${prop}\` must be a single line (App Runner rejects line breaks), got ${JSON.stringify(command)}`);
  }
}

function imageOptions(options: ImageSourceOptions): ImageSourceOptions {
  validatePort(options.port);
  validateCommand('startCommand', options.startCommand);
  return { port: options.port, startCommand: options.startCommand };
}

interface ResolvedImage {
  readonly imageIdentifier: string;
  readonly repository?: ecr.IRepository;
}

interface ImageNeeds {
  readonly environment?: { [name: string]: string };
  readonly instanceMemoryVariable?: string;
}

class ImageSource extends Source {
  constructor(
    private readonly options: ImageSourceOptions,
    private readonly resolve: (scope: Construct) => ResolvedImage,
    private readonly needs: ImageNeeds = {},
  ) {
    super();
  }

  public bind(scope: Construct): SourceConfig {
    const image = this.resolve(scope);
    return {
      image: {
        imageIdentifier: image.imageIdentifier,
        imageRepositoryType: image.repository ? ImageRepositoryType.ECR : ImageRepositoryType.ECR_PUBLIC,
        port: this.options.port,
        startCommand: this.options.startCommand,
        environment: this.needs.environment,
        instanceMemoryVariable: this.needs.instanceMemoryVariable,
      },
      ecrRepository: image.repository,
    };
  }
}

class AssetSource extends ImageSource {
  constructor(directory: string, options: AssetSourceOptions) {
    super(imageOptions(options), (scope) => {
      const asset = new ecr_assets.DockerImageAsset(scope, 'ImageAsset', {
        directory,
        file: options.file,
        buildArgs: options.buildArgs,
        target: options.target,
        exclude: options.exclude,
        platform: options.platform ?? ecr_assets.Platform.LINUX_AMD64,
      });
      return { imageIdentifier: asset.imageUri, repository: asset.repository };
    });
  }
}

class CodeRepositorySource extends Source {
  constructor(private readonly props: CodeRepositorySourceProps) {
    super();
  }

  public bind(_scope: Construct): SourceConfig {
    return {
      code: {
        repositoryUrl: this.props.repositoryUrl,
        branch: this.props.branch,
        sourceDirectory: this.props.sourceDirectory,
        connectionArn: this.props.connection.connectionArn,
        configuration: this.props.configuration,
      },
    };
  }
}
