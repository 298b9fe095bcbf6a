import * as fs from 'node:fs';
import * as path from 'node:path';

/** The folder of the sample server shipped with this library: its Dockerfile and code. */
export const SAMPLE_SERVER_DIRECTORY = path.join(__dirname, '..', '..', 'assets', 'sample-server');

/** The sample server's crash routes, from its own list (`lib/crash-routes.json`). */
export function sampleServerCrashRoutes(): string[] {
  return JSON.parse(fs.readFileSync(path.join(SAMPLE_SERVER_DIRECTORY, 'lib', 'crash-routes.json'), 'utf8'));
}
