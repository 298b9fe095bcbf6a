#!/usr/bin/env node
// Fails the build when a public API element lacks documentation: every type, method and
// property needs a summary, and every optional property a `@default`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const assembly = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '.jsii'), 'utf8'));
const problems = [];

for (const [fqn, type] of Object.entries(assembly.types ?? {})) {
  if (!type.docs?.summary) problems.push(`${fqn}: no summary`);
  for (const prop of type.properties ?? []) {
    const where = `${fqn}#${prop.name}`;
    if (!prop.docs?.summary) problems.push(`${where}: no summary`);
    if (type.kind === 'interface' && type.datatype && prop.optional && prop.docs?.default === undefined) {
      problems.push(`${where}: optional without @default`);
    }
  }
  for (const method of type.methods ?? []) {
    if (!method.docs?.summary) problems.push(`${fqn}#${method.name}(): no summary`);
  }
  for (const member of type.members ?? []) {
    if (!member.docs?.summary) problems.push(`${fqn}.${member.name}: no summary`);
  }
}

if (problems.length > 0) {
  console.error(`API documentation is incomplete (${problems.length}):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`API documentation complete: ${Object.keys(assembly.types ?? {}).length} types checked`);
