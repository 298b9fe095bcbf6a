import { awscdk } from 'projen';

/** The conditions under which `package-all` builds or only generates the .NET and Go packages. */
export function configurePackaging(project: awscdk.AwsCdkConstructLibrary): void {
  // `package-all` builds every language; where there is no .NET toolchain, it generates the
  // .NET sources only (jsii-pacmak --code-only), so the other languages are still packaged.
  const packageDotnet = project.tasks.tryFind('package:dotnet')!;
  packageDotnet.reset('jsii-pacmak -v --target dotnet', { condition: 'command -v dotnet' });
  packageDotnet.exec('jsii-pacmak -v --target dotnet --code-only --outdir dist/dotnet-src', { condition: '! command -v dotnet' });
  // The Go module is published as sources. jsii-pacmak's build of them (go mod tidy against
  // aws-cdk-go at the floor, v2.245.0) runs in the release workflow; outside GitHub Actions the
  // sources are generated only, because not every Go module proxy serves that old aws-cdk-go.
  const packageGo = project.tasks.tryFind('package:go')!;
  const inGitHubActions = 'node -e "process.exit(process.env.GITHUB_ACTIONS ? 0 : 1)"';
  const outsideGitHubActions = 'node -e "process.exit(process.env.GITHUB_ACTIONS ? 1 : 0)"';
  packageGo.reset('jsii-pacmak -v --target go', { condition: inGitHubActions });
  packageGo.exec('jsii-pacmak -v --target go --code-only', { condition: outsideGitHubActions });
}
