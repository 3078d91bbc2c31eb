// Coverage shares (issue 15): where a dataset sheet counts its classes (`extract --stats`), coverage
// says how many of a label's annotations the dataset gives exactly and how many only partly.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSheets } from '../../src/compile.js';
import { formatCoverageCsv } from '../../src/taxonomy/outputs.js';
import { ROOT } from '../helpers/cli.js';

const n = (id: number) => Math.max(id, 0) * 10 + 1;
const dir = mkdtempSync(path.join(os.tmpdir(), 'labelmap-counts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sheets = path.join(dir, 'sheets');
cpSync(path.join(ROOT, 'sheets'), sheets, { recursive: true });
// The shipped Cityscapes sheet with an `instances` column: n(id) instances.
const file = path.join(sheets, 'datasets', 'cityscapes@1.0.0.csv');
const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
const cols = header!.split(',');
const at = cols.indexOf('evaluate') + 1;
const withCount = (line: string, value: string) => {
  const cells = line.split(',');
  cells.splice(at, 0, value);
  return cells.join(',');
};
writeFileSync(file, [withCount(header!, 'instances'), ...rows.map((r) => withCount(r, String(n(Number(r.split(',')[0])))))].join('\n') + '\n');
// (Cityscapes license plate has id -1: it counts 1.)

describe('coverage counts from --stats', () => {
  const { bundle, findings } = compileSheets(sheets, { vertical: 'self-driving' });
  const cityscapes = bundle!.datasets.find((d) => d.name === 'cityscapes')!;
  const entry = (label: string) => cityscapes.coverage.find((c) => c.label === label)!;

  it('compiles', () => {
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('car: every Cityscapes car (id 26) is exact', () => {
    expect(entry('car')).toMatchObject({ status: 'full', counts: { unit: 'instances', exact: n(26), partial: 0 } });
  });

  it('road: Cityscapes road (id 7) is the set road|lane_marking|crosswalk|bike_lane, so all of it is partial', () => {
    expect(entry('road')).toMatchObject({ status: 'partial', counts: { unit: 'instances', exact: 0, partial: n(7) } });
    expect(entry('lane_marking')).toMatchObject({ status: 'partial', counts: { exact: 0, partial: n(7) } });
  });

  it('other_vehicle: caravan (29) and trailer (30) exact; cars partly (police cars and ambulances, declared by contains)', () => {
    expect(entry('other_vehicle').counts).toEqual({ unit: 'instances', exact: n(29) + n(30), partial: n(26) });
  });

  it('coverage.csv carries the counts; datasets without counts leave the cells empty', () => {
    const csv = formatCoverageCsv(bundle!).split('\n');
    expect(csv[0]).toBe('dataset,train_id,label,status,because,count_unit,count_exact,count_partial');
    expect(csv.find((l) => l.startsWith('cityscapes,') && l.includes(',car,'))).toBe(`cityscapes,${entry('car').train_id},car,full,,instances,${n(26)},0`);
    expect(csv.find((l) => l.startsWith('coco,') && l.includes(',car,'))).toMatch(/^coco,\d+,car,full,,,,$/);
    expect(bundle!.datasets.find((d) => d.name === 'coco')!.coverage.every((c) => c.counts === undefined)).toBe(true);
  });
});
