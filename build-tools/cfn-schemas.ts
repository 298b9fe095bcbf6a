// The CloudFormation resource schemas that cfn-lint ships (`npx projen cfn-lint:install` puts
// cfn-lint, pinned, into .tmp/cfn-lint): the one reader of them for the integ policy generator
// and the tests.
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');

/** The folder of the resource schemas. */
function schemaDirectory(): string {
  const lib = path.join(ROOT, '.tmp', 'cfn-lint', 'lib');
  const python = fs.existsSync(lib) ? fs.readdirSync(lib).find(d => d.startsWith('python')) : undefined;
  if (!python) throw new Error(`cfn-lint is not installed under ${lib}: run npx projen cfn-lint:install`);
  return path.join(lib, python, 'site-packages', 'cfnlint', 'data', 'schemas');
}

/** The schema of a resource type (us-east-1's), or undefined when there is none (a custom resource). */
export function resourceSchema(type: string): any | undefined {
  const schemas = schemaDirectory();
  const providers = JSON.parse(fs.readFileSync(path.join(schemas, 'providers', 'us-east-1.json'), 'utf8'));
  const file = providers[type];
  return file ? JSON.parse(fs.readFileSync(path.join(schemas, 'resources', `${file}.json`), 'utf8')) : undefined;
}

/** The top-level properties whose change replaces the resource (the schema's createOnlyProperties). */
export function createOnlyProperties(type: string): string[] {
  const schema = resourceSchema(type);
  if (!schema) throw new Error(`no CloudFormation schema for ${type}`);
  return [...new Set<string>((schema.createOnlyProperties ?? []).map((p: string) => p.split('/')[2]))].sort();
}
