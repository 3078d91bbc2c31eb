// Format plugins: a sheets repository's labelmap.config.mjs registers extra Extractors, which
// `labelmap formats` lists and `extract` (by id or auto) uses; a plugin that throws, returns rows
// of the wrong shape or duplicate names gets located errors like a built-in format.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPluginFormats } from '../../src/formats/plugins.js';
import { runInProcess, tempDir } from '../helpers/cli.js';
import { errorOf } from './city-helpers.js';

// A plugin for "tags files": one `id=name` a line. It imports nothing, so it runs anywhere.
const PLUGIN = `
import { readFileSync } from 'node:fs';
export default {
  formats: [{
    id: 'tags',
    title: 'Tag files',
    input: 'a .tags file of id=name lines',
    async detect(input) {
      return input.endsWith('.tags') ? { ok: true, reason: 'a .tags file' } : { ok: false, reason: 'not a .tags file' };
    },
    async extract(input, options) {
      const rows = readFileSync(input, 'utf8').split('\\n').filter(Boolean).map((line) => {
        if (line === 'boom') throw new Error('cannot read line "boom"');
        const [id, name] = line.split('=');
        return { id: Number(id), name, display_name: '', category: '', train_id: null, color: '', is_thing: null, evaluate: null, extra: {} };
      });
      return { name: 'tags', rows, notes: ['read by the tags plugin'] };
    },
  }],
};
`;

function repo(config = PLUGIN, files: Record<string, string> = {}): string {
  return tempDir({ 'labelmap.config.mjs': config, 'sheets/datasets/.keep': '', ...files });
}

describe('format plugins (labelmap.config.mjs)', () => {
  it('labelmap formats lists the plugin after the built-ins; --json names its file', async () => {
    const dir = repo();
    const r = await runInProcess(['formats'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^tags\s+Tag files \(plugin\)\s+a \.tags file of id=name lines$/);
    const j = await runInProcess(['formats', '--json'], { cwd: dir });
    const { formats } = JSON.parse(j.stdout) as { formats: { id: string; plugin?: string }[] };
    expect(formats.at(-1)).toEqual({ id: 'tags', title: 'Tag files (plugin)', input: 'a .tags file of id=name lines', plugin: path.join(dir, 'labelmap.config.mjs') });
  });

  it('extract by id and by auto writes the sheet, with the plugin\'s notes', async () => {
    const dir = repo(PLUGIN, { 'a.tags': '0=road\n1=car\n' });
    const r = await runInProcess(['extract', 'auto', 'a.tags'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('labelmap: tags: a .tags file');
    expect(r.stderr).toContain('labelmap: read by the tags plugin');
    expect(readFileSync(path.join(dir, 'sheets', 'datasets', 'tags@1.0.0.csv'), 'utf8')).toMatch(/^id,name[^\n]*\n0,road[^\n]*\n1,car/);
  });

  it('a plugin that throws: plugin-failed at the input, exit 2; a duplicate name: the sheet gate, as for a built-in', async () => {
    const dir = repo(PLUGIN, { 'bad.tags': '0=road\nboom\n', 'dup.tags': '0=road\n1=road\n', 'neg.tags': '0=road\n-1=car\n' });
    const r = await runInProcess(['extract', 'tags', 'bad.tags'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.tags: error plugin-failed: the plugin format "tags"');
    expect(r.stderr).toContain('cannot read line "boom"');
    const d = await runInProcess(['extract', 'tags', 'dup.tags'], { cwd: dir });
    expect(d.code).not.toBe(0);
    expect(d.stderr).toMatch(/error \S*duplicate\S*:/);
    const n = await runInProcess(['extract', 'tags', 'neg.tags'], { cwd: dir });
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('error plugin-result: the plugin format "tags" returned row 2: expected an id: an integer 0 or more');
    expect(n.stderr).toContain('rows[1].id');
  });

  it('a config that is not one: a syntax error (plugin-load), no formats array, a built-in id, a missing function', async () => {
    const cases: [string, string, string | undefined][] = [
      ['export default {', 'plugin-load', undefined],
      ['export default 3;', 'plugin-invalid', 'default.formats'],
      ['export default { formats: [{ id: "coco", title: "", input: "", detect() {}, extract() {} }] };', 'plugin-invalid', 'formats[0].id'],
      ['export default { formats: [{ id: "x", title: "", input: "", detect() {} }] };', 'plugin-invalid', 'formats[0].extract'],
    ];
    for (const [config, code, where] of cases) {
      const file = path.join(repo(config), 'labelmap.config.mjs');
      const e = await errorOf(() => loadPluginFormats(file));
      expect([e.code, e.file, e.path], config).toEqual([code, file, where]);
    }
    const r = await runInProcess(['formats'], { cwd: repo('export default 3;') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error plugin-invalid');
  });

  it('detect that throws is a "no" with the reason; without a config nothing changes', async () => {
    const dir = repo(PLUGIN.replace("return input.endsWith('.tags')", "throw new Error('detect broke'); return input.endsWith('.tags')"), { 'a.tags': '0=road\n' });
    const r = await runInProcess(['extract', 'auto', 'a.tags'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tags: no, the plugin threw: detect broke');
    const plain = tempDir({ 'sheets/datasets/.keep': '' });
    const f = await runInProcess(['formats'], { cwd: plain });
    expect(f.stdout).not.toContain('plugin');
  });
});
