import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLabelIndex } from '../../src/explore/load.js';
import { renderReport, reportData, scriptJson } from '../../src/explore/report.js';
import { FIXTURES, runCli, tempDir } from '../helpers/cli.js';

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
