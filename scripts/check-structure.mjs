#!/usr/bin/env node
// Checks the import structure of every package with dependency-cruiser: its rules (.dependency-cruiser.cjs), and
// no cycles between the folders of a package's src/, so the layout read from `ls packages/*/src` stays layered.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sources = ['packages/core/src', 'packages/server/src', 'packages/labextension/src'];

let output;
try {
  output = execFileSync('npx', ['depcruise', ...sources, '--output-type', 'json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit']
  });
} catch (error) {
  // depcruise exits non-zero when a rule is broken; its JSON is still on stdout.
  output = error.stdout;
}
const result = JSON.parse(output);
const problems = result.summary.violations.map(
  violation =>
    `${violation.rule.name}: ${[violation.from, ...(violation.cycle ?? [violation.to]).map(step => step.name ?? step)].join(' -> ')}`
);

/** `packages/server/src/storage/x.ts` -> `packages/server/src/storage`; files at the src root are their own node. */
function folderOf(file) {
  const match = /^(packages\/[^/]+\/src)\/(.+)$/.exec(file);
  if (!match) {
    return null;
  }
  const [first, ...rest] = match[2].split('/');
  return rest.length === 0 ? `${match[1]}/${first}` : `${match[1]}/${first}/`;
}

const edges = new Map();
for (const module of result.modules) {
  const from = folderOf(module.source);
  for (const dependency of module.dependencies) {
    const to = folderOf(dependency.resolved);
    if (from && to && from !== to) {
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from).add(to);
    }
  }
}

// Tarjan's strongly connected components: any component with more than one folder is a cycle between folders.
let index = 0;
const stack = [];
const state = new Map();
function visit(node) {
  state.set(node, { index, low: index, onStack: true });
  index++;
  stack.push(node);
  for (const next of edges.get(node) ?? []) {
    if (!state.has(next)) {
      visit(next);
      state.get(node).low = Math.min(state.get(node).low, state.get(next).low);
    } else if (state.get(next).onStack) {
      state.get(node).low = Math.min(state.get(node).low, state.get(next).index);
    }
  }
  if (state.get(node).low === state.get(node).index) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      state.get(member).onStack = false;
      component.push(member);
    } while (member !== node);
    if (component.length > 1) {
      problems.push(`folders import each other in a circle: ${component.sort().join(', ')}`);
    }
  }
}
for (const node of edges.keys()) {
  if (!state.has(node)) visit(node);
}

if (problems.length > 0) {
  process.stderr.write(`Import structure problems:\n${problems.map(problem => `  - ${problem}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(
  `structure: ${result.summary.totalCruised} modules, no import cycles between modules or folders\n`
);
