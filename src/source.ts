import { Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as ecr_assets from 'aws-cdk-lib/aws-ecr-assets';
import { Construct } from 'constructs';
import { CodeRepositorySourceProps, CodeSourceConfig } from './code-configuration';
import { DEFAULT_PORT } from './private/app-runner-defaults';
import { ecrAssets } from './private/lazy';
import { SAMPLE_SERVER_DIRECTORY } from './private/sample-server';
import { validateCommand, validateIntegerRange, validatePort } from './private/validation';

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
   * The platform to build for: App Runner runs x86-64 instances only, so any other platform
   * is rejected. Give it to be explicit.
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
 * The image a source describes, whatever platform runs it: where it is, the port it listens
 * on, its start command and the environment variables it needs itself.
 */
export interface ImageSourceConfig {
  /** The image URI. */
  readonly imageIdentifier: string;
  /** Private ECR or ECR Public. */
  readonly imageRepositoryType: ImageRepositoryType;
  /**
   * The port the container listens on (the sources of this library always set it).
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

  /**
   * Whether the crash routes (`/panic`, `/exit`, `/fatal`, `/use-all-memory`) answer. They let
   * anyone who can reach the service restart its workers: turn them on for demonstrations and
   * tests only (`CRASH_ROUTES=on` in the image). Off, they answer 404.
   * @default false
   */
  readonly crashRoutes?: boolean;
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
   * The private repository the image is pulled from; the service gives the role it pulls
   * with (App Runner's access role) pull rights on it.
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
  public static readonly SAMPLE_SERVER_DIRECTORY = SAMPLE_SERVER_DIRECTORY;

  /**
   * An image built from a local directory with a Dockerfile, at deploy time
   * (a `DockerImageAsset` in the service's scope, for linux/amd64 by default).
   *
   * @param directory the build context
   */
  public static fromAsset(directory: string, options: AssetSourceOptions = {}): Source {
    const platform = options.platform?.platform;
    if (platform !== undefined && !Token.isUnresolved(platform) && platform !== 'linux/amd64') {
      throw new Error(`\`platform\` of Source.fromAsset must be linux/amd64: App Runner runs x86-64 instances only, got '${platform}'`);
    }
    return new ImageSource(imageOptions(options), imageAsset(directory, options));
  }

  /**
   * The sample server shipped with this library (`assets/sample-server`): a small Node.js
   * server with a page on `/`, a health check on `/healthz`, DynamoDB routes on the table named
   * by `TABLE_NAME`, and crash routes (`/panic`, `/exit`, `/fatal`, `/use-all-memory`) when
   * `crashRoutes` is true.
   * It listens on 8080; pair it with `HealthCheck.http({ path: '/healthz' })`. The service sets
   * `AWS_REGION` to the stack's Region for its AWS SDK (App Runner does not document setting it).
   */
  public static fromSampleServer(options: SampleServerOptions = {}): Source {
    validateIntegerRange('workers', options.workers, 1, 64);
    const environment: { [name: string]: string } = {};
    if (options.supervisor === false) environment.SUPERVISOR = 'off';
    if (options.workers !== undefined) environment.WEB_CONCURRENCY = String(options.workers);
    if (options.crashRoutes) environment.CRASH_ROUTES = 'on';
    return new ImageSource(imageOptions({}), imageAsset(Source.SAMPLE_SERVER_DIRECTORY),
      { environment, instanceMemoryVariable: 'INSTANCE_MEMORY_MB', regionVariable: 'AWS_REGION' });
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
    // public.ecr.aws/<alias>/<name>[:tag|@digest], as the AWS::AppRunner::Service schema requires.
    if (!Token.isUnresolved(imageUri) && !/^public\.ecr\.aws\/[^/]+\/[^/:@][^:@]*([:@].+)?$/.test(imageUri)) {
      throw new Error(
        `\`imageUri\` of Source.fromEcrPublic must be public.ecr.aws/<alias>/<name>[:<tag>|@<digest>], got '${imageUri}' ` +
        "(images of Docker's official library are under the alias 'docker/library', e.g. public.ecr.aws/docker/library/nginx:latest)",
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

function imageOptions(options: ImageSourceOptions): ImageSourceOptions {
  validatePort(options.port);
  validateCommand('startCommand', options.startCommand);
  return { port: options.port, startCommand: options.startCommand };
}

/** Where an image is, once its source is bound to a scope. */
interface ResolvedImage {
  readonly imageIdentifier: string;
  /** The private repository to grant pull on; none for ECR Public. */
  readonly repository?: ecr.IRepository;
}

/** What an image needs from the service beyond its own settings. */
interface ImageNeeds {
  readonly environment?: { [name: string]: string };
  readonly instanceMemoryVariable?: string;
  /**
   * A variable set to the stack's Region, for an image whose AWS SDK needs it: App Runner's
   * documentation does not say that it sets `AWS_REGION` for image services.
   */
  readonly regionVariable?: string;
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
        port: this.options.port ?? DEFAULT_PORT,
        startCommand: this.options.startCommand,
        environment: this.needs.regionVariable
          ? { ...this.needs.environment, [this.needs.regionVariable]: Stack.of(scope).region }
          : this.needs.environment,
        instanceMemoryVariable: this.needs.instanceMemoryVariable,
      },
      ecrRepository: image.repository,
    };
  }
}

/** A `DockerImageAsset` of `directory`, in the scope the source is bound to. */
function imageAsset(directory: string, options: AssetSourceOptions = {}): (scope: Construct) => ResolvedImage {
  return (scope) => {
    const { DockerImageAsset, Platform } = ecrAssets();
    const asset = new DockerImageAsset(scope, 'ImageAsset', {
      directory,
      file: options.file,
      buildArgs: options.buildArgs,
      target: options.target,
      exclude: options.exclude,
      platform: options.platform ?? Platform.LINUX_AMD64,
    });
    return { imageIdentifier: asset.imageUri, repository: asset.repository };
  };
}

class CodeRepositorySource extends Source {
  constructor(private readonly props: CodeRepositorySourceProps) {
    super();
  }

  public bind(_scope: Construct): SourceConfig {
    const code: CodeSourceConfig = {
      repositoryUrl: this.props.repositoryUrl,
      branch: this.props.branch,
      sourceDirectory: this.props.sourceDirectory,
      connectionArn: this.props.connection.connectionArn,
      configuration: this.props.configuration,
    };
    return { code };
  }
}
