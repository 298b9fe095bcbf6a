// The README's Python, Java and Go snippets are taken from the example apps that
// `npx projen check:bindings` builds and synthesizes: every line of each snippet must be in its file.
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Use it from Python, Java and Go'), readme.indexOf('## Quick start'));

test.each([
  ['python', 'examples/python/app.py'],
  ['java', 'examples/java/src/main/java/io/github/cdkapprunnerwebservice/example/ExampleApp.java'],
  ['go', 'examples/go/main.go'],
])('the %s snippet is in %s', (language, file) => {
  const snippet = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(section)?.[1];
  expect(snippet).toBeDefined();
  const source = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').map(l => l.trim());
  const lines = snippet!.split('\n').map(l => l.trim()).filter(l => l.length > 0);
  expect(lines.length).toBeGreaterThan(4);
  expect(lines.filter(l => !source.includes(l))).toEqual([]);
});
