import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/formats/index.js';
import { runCli } from '../helpers/cli.js';

describe('labelmap formats', () => {
  it('lists every registered format with what it reads (exit 0)', () => {
    const r = runCli(['formats']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^format\s+title\s+reads$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(FORMATS.map((f) => f.id));
    expect(r.stdout).toContain('objectInfo150.csv');
  });

  it('--json: one object per format', () => {
    const r = runCli(['formats', '--json']);
    expect(r.code).toBe(0);
    const { formats } = JSON.parse(r.stdout) as { formats: { id: string; title: string; input: string }[] };
    expect(formats.map((f) => f.id)).toEqual(['coco', 'voc', 'cityscapes', 'mapillary', 'apolloscape', 'hf', 'ade20k', 'names', 'yolo', 'bdd100k', 'camvid', 'cvat', 'label-studio', 'labelme', 'via', 'datumaro', 'openimages', 'gtsrb', 'mtsd', 'labelbox', 'vott']);
    expect(formats.find((f) => f.id === 'yolo')).toEqual({ id: 'yolo', title: 'YOLO data.yaml', input: expect.stringContaining('data.yaml') });
  });
});
