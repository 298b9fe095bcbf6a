// The Python, Java and Go snippets of docs/other-languages.md are taken from the example apps that
// `npx projen check:bindings` builds and synthesizes: every line of each snippet must be in its file.
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const section = fs.readFileSync(path.join(ROOT, 'docs', 'other-languages.md'), 'utf8');

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
