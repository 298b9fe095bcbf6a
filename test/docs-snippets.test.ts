// Every TypeScript snippet of docs/*.md compiles against the library, as jsii-rosetta checks the
// README's: each is put into the same fixture (rosetta/default.ts-fixture), its imports and
// `declare` lines hoisted as rosetta does, and all are type-checked in one program.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const DOCS = path.join(ROOT, 'docs');
const OUT = path.join(ROOT, '.tmp', 'docs-snippets');
const LIBRARY = path.relative(OUT, path.join(ROOT, 'src', 'index')).split(path.sep).join('/');

/** The names an import line binds. */
function boundNames(line: string): string[] {
  const namespace = /^import \* as (\w+) from/.exec(line);
  if (namespace) return [namespace[1]];
  const named = /^import \{([^}]*)\} from/.exec(line);
  return named ? named[1].split(',').map(n => n.trim().split(/\s+as\s+/).pop()!).filter(Boolean) : [];
}

/** The fixture with the snippet in it: the snippet's imports on top, the fixture's that clash removed. */
function program(snippet: string): string {
  const fixture = fs.readFileSync(path.join(ROOT, 'rosetta', 'default.ts-fixture'), 'utf8');
  const lines = snippet.split('\n');
  const imports = lines.filter(l => l.startsWith('import '));
  // `declare const x: T;` stands for something the reader has: module level, as rosetta puts it.
  const declarations = lines.filter(l => l.startsWith('declare '));
  const body = lines.filter(l => !l.startsWith('import ') && !l.startsWith('declare ')).join('\n');
  const taken = new Set(imports.flatMap(boundNames));
  // The fixture's multi-line import of the library is joined first, so that it can be filtered as one line.
  const fixtureLines = fixture.replace(/import \{([^}]*)\} from '([^']+)';/g, (_m, names, from) => `import {${names.replace(/\s+/g, ' ')}} from '${from}';`).split('\n');
  const kept = fixtureLines.map((line) => {
    if (!line.startsWith('import ')) return line;
    const names = boundNames(line);
    const left = names.filter(n => !taken.has(n));
    if (left.length === names.length) return line;
    if (left.length === 0 || line.startsWith('import * as')) return '';
    return line.replace(/\{[^}]*\}/, `{ ${left.join(', ')} }`);
  });
  const withDeclarations = kept.join('\n').replace(/\nclass Fixture/, `\n${declarations.join('\n')}\nclass Fixture`);
  return [...imports, withDeclarations].join('\n').replace('/// here', body).replace(/'cdk-apprunner-web-service'/g, `'${LIBRARY}'`);
}

test('every TypeScript snippet in docs/ compiles', () => {
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const files: string[] = [];
  for (const doc of fs.readdirSync(DOCS).filter(f => f.endsWith('.md')).sort()) {
    const text = fs.readFileSync(path.join(DOCS, doc), 'utf8');
    [...text.matchAll(/```ts[^\n]*\n([\s\S]*?)```/g)].forEach((match, i) => {
      const file = path.join(OUT, `${doc.replace(/\.md$/, '')}-${i + 1}.ts`);
      fs.writeFileSync(file, program(match[1]));
      files.push(file);
    });
  }
  expect(files.length).toBeGreaterThan(10);
  const compiled = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    esModuleInterop: true,
    noUnusedLocals: false,
    types: ['node'],
  });
  const problems = ts.getPreEmitDiagnostics(compiled).map((d) => {
    const where = d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  expect(problems).toEqual([]);
});
