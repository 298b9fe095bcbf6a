// The stack of the crash-routes integration test: the example app's stack with at least two
// instances. Shared by integ.crash-routes.ts and the tests that run it locally (with variations
// that break it on purpose).
import { Construct } from 'constructs';
import { WebServiceStack, WebServiceStackProps } from '../examples/app';

export type CrashRoutesStackOptions = WebServiceStackProps;

export class CrashRoutesStack extends WebServiceStack {
  constructor(scope: Construct, id: string, options: CrashRoutesStackOptions = {}) {
    super(scope, id, { ...options, service: { autoScaling: { minSize: 2, maxSize: 3 }, ...options.service } });
  }
}
