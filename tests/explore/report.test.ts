import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLabelIndex } from '../../src/explore/load.js';
import { renderReport, reportData, scriptJson } from '../../src/explore/report.js';
import { FIXTURES, ROOT, runCli, tempDir } from '../helpers/cli.js';

const SHEETS = path.join(FIXTURES, 'explore', 'sheets');

describe('the report page as text', () => {
  it('is one self-contained file: no external script, style, image or link', () => {
    const { index, bundles } = loadLabelIndex(SHEETS);
    const html = renderReport(reportData('t', 'sheets', index, bundles));
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src="http|url\(http|@import/i);
    expect(html).toContain('<script type="application/json" id="labelmap-data">');
    // The data island parses back to the data.
    const island = /<script type="application\/json" id="labelmap-data">(.*?)<\/script>/s.exec(html)![1]!;
    const data = JSON.parse(island);
    expect(data.index.classes.length).toBe(index.classes.length);
    expect(data.verticals.map((v: { name: string }) => v.name)).toEqual(['count', 'drive']);
  });

  it('a name that holds </script> or a line separator cannot leave the data island', () => {
    const text = scriptJson({ name: '</script><script>alert(1)</script>\u2028<!--' });
    expect(text).not.toMatch(/<|>|\u2028/);
    expect(JSON.parse(text)).toEqual({ name: '</script><script>alert(1)</script>\u2028<!--' });
  });
});

describe('labelmap report (the real binary)', () => {
  it('writes report.html, replaces an earlier report, never a file someone else made', () => {
    const dir = tempDir();
    const first = runCli(['--sheets', SHEETS, 'report'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^wrote report\.html: 10 taxonomy classes, 2 datasets, 2 vertical\(s\)/);
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain('<!doctype html>');
    expect(runCli(['--sheets', SHEETS, 'report', '--vertical', 'drive'], { cwd: dir }).code).toBe(0);
    writeFileSync(path.join(dir, 'notes.html'), '<p>my notes</p>');
    const refused = runCli(['--sheets', SHEETS, 'report', '--out', 'notes.html'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to replace');
    expect(readFileSync(path.join(dir, 'notes.html'), 'utf8')).toBe('<p>my notes</p>');
  });
});

describe('labelmap report --diff (git revisions)', () => {
  it('carries the changes between two tags, with their levels and compiled effects, as diff computes them', async () => {
    const { spawnSync } = await import('node:child_process');
    const { cpSync, writeFileSync: write } = await import('node:fs');
    const dir = tempDir();
    cpSync(SHEETS, path.join(dir, 'sheets'), { recursive: true });
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'v1');
    git('tag', 'v1');
    // photos person: from person (anyone) to pedestrian, in a new major version of the mapping.
    write(path.join(dir, 'sheets', 'mappings', 'photos@2.0.0.csv'), 'source,target,note\nbackground,ignore,None of the classes.\nperson,pedestrian,Reviewed: on foot only.\nbicycle,bicycle,\ntraffic light,traffic_light,\n');
    git('add', '-A');
    git('commit', '-qm', 'v2');
    git('tag', 'v2');
    const r = runCli(['report', '--diff', 'v1', 'v2', '--out', 'r.html'], { cwd: dir });
    expect(r.code).toBe(0);
    const html = readFileSync(path.join(dir, 'r.html'), 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="labelmap-data">(.*?)<\/script>/s.exec(html)![1]!);
    expect(data.diff.a).toContain('v1');
    const mapping = data.diff.changes.filter((c: { sheet: string }) => c.sheet === 'mappings/photos');
    expect(mapping.map((c: { level: string }) => c.level)).toContain('major');
    expect(mapping.some((c: { text: string }) => c.text.includes('person'))).toBe(true);
    expect(data.diff.changes.some((c: { sheet: string }) => c.sheet.startsWith('compiled/'))).toBe(true);
    expect(html).toContain('<section id="diff">');
    const bad = runCli(['report', '--diff', 'v1', 'v2', 'v3', '--out', 'r.html'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error report-diff-arguments');
  });
});

describe('find and report in a fresh `labelmap init` repository', () => {
  it('init, then find and report work on its sheets', async () => {
    const dir = tempDir();
    const init = runCli(['init', 'team'], { cwd: dir });
    expect(init.code).toBe(0);
    const repo = path.join(dir, 'team');
    const found = runCli(['--json', 'find', 'bicycle'], { cwd: repo });
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout).groups[0].target).toBe('bicycle');
    const report = runCli(['report', '--vertical', 'self-driving', '--out', 'r.html'], { cwd: repo });
    expect(report.code).toBe(0);
    expect(readFileSync(path.join(repo, 'r.html'), 'utf8')).toContain('labelmap-data');
  });
});

describe('the sample report the README links', () => {
  it('is the report of the shipped sheets for self-driving, as the built labelmap writes it today', () => {
    // Regenerate after a change of the sheets or the page, in the repository:
    // `labelmap report --vertical self-driving --out docs/sample-report.html`. Through the binary:
    // the page embeds the normaliser's compiled source, which only the build has.
    const out = path.join(tempDir(), 'sample.html');
    const r = runCli(['report', '--vertical', 'self-driving', '--out', out], { cwd: ROOT });
    expect(r.code, r.stderr).toBe(0);
    const sample = readFileSync(path.join(ROOT, 'docs', 'sample-report.html'));
    expect(sample.equals(readFileSync(out)), 'docs/sample-report.html is out of date: regenerate it (see above)').toBe(true);
  });
});
