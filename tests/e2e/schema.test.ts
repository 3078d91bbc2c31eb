// runCli runs the built binary (the end-to-end tests of this command); runInProcess runs the
// same program in-process (tests/helpers/cli.ts): same stdout, stderr and exit code.
import { describe, expect, it } from 'vitest';
import { runCli, runInProcess } from '../helpers/cli.js';

describe('labelmap schema', () => {
  it('prints the JSON Schema of all seven kinds', async () => {
    const r = await runInProcess(['schema']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const all = JSON.parse(r.stdout);
    expect(Object.keys(all)).toEqual(['dataset', 'taxonomy', 'mapping', 'vertical', 'attributes', 'attribute-mapping', 'attribute-rule']);
    expect(all.mapping.required).toEqual(['source', 'target', 'note']);
  });

  it('prints one kind, named as a kind or as its folder', () => {
    const one = runCli(['schema', 'taxonomy']);
    expect(one.code).toBe(0);
    const schema = JSON.parse(one.stdout);
    expect(schema.title).toBe('labelmap taxonomy sheet row');
    expect(new RegExp(schema.properties.color.pattern).test('#FF8800')).toBe(true);
    expect(new RegExp(schema.properties.name.pattern).test('Traffic Light')).toBe(false);
    expect(runCli(['schema', 'verticals']).stdout).toContain('"title": "labelmap vertical sheet row"');
  });

  it('exits 2 on an unknown kind', () => {
    const r = runCli(['schema', 'labels']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'labelmap: error sheet-kind-unknown: unknown sheet kind "labels"\n  fix: use one of dataset, taxonomy, mapping, vertical, attributes, attribute-mapping, attribute-rule\n',
    });
  });
});
