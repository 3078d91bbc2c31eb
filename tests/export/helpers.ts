// Shared by the export tests: the fixture bundles, and python3 to check outputs in their own terms.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { parseBundle } from '../../src/api/bundle.js';
import { LabelmapError } from '../../src/findings.js';
import type { Bundle } from '../../src/taxonomy/types.js';
import { FIXTURES, tempDir } from '../helpers/cli.js';

export const BUNDLES = ['self-driving', 'unified-16', 'tricky-names', 'sets'] as const;

export function fixturePath(name: string): string {
  return path.join(FIXTURES, 'export', `${name}.json`);
}

export function fixtureBundle(name: string): Bundle {
  return parseBundle(readFileSync(fixturePath(name), 'utf8'), fixturePath(name));
}

export const hasPython = spawnSync('python3', ['--version']).status === 0;
export const hasPyYaml = hasPython && spawnSync('python3', ['-c', 'import yaml']).status === 0;

/**
 * Runs a python3 script (isolated: -I, and -S so that nothing outside the standard library is
 * importable unless asked) in a folder holding `files`, and parses what it prints as JSON.
 */
export function python(script: string, files: Record<string, string> = {}, options: { site?: boolean } = {}): unknown {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const flags = options.site ? ['-I'] : ['-I', '-S'];
  const r = spawnSync('python3', [...flags, '-c', `import sys; sys.path.insert(0, ${JSON.stringify(dir)})\n${script}`], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python3 failed (${r.status ?? r.error?.message}):\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

export interface Element {
  name: string;
  attributes: Record<string, string>;
  children: Element[];
}

/** Parses XML into elements; throws on anything that is not well-formed. */
export function parseXml(xml: string): Element {
  const parser = new SaxesParser();
  const root: Element = { name: '#document', attributes: {}, children: [] };
  const stack = [root];
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (tag) => {
    const el: Element = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [] };
    stack.at(-1)!.children.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => void stack.pop());
  parser.write(xml).close();
  return root.children[0]!;
}

/** `code: message` of the LabelmapError `fn` throws, or 'no error'. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof LabelmapError) return `${error.finding.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
}
