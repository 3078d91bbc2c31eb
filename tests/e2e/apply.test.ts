// `labelmap apply` as a user runs it: the built binary, stdout, stderr, exit status; a SIGKILL in
// the middle of a run leaves whole files only, and the next run completes it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocateRows, decodePng, encodePng } from '../../src/apply/png.js';
import { BIN, FIXTURES, runCli, tempDir } from '../helpers/cli.js';

const CS = path.join(FIXTURES, 'apply', 'cityscapes');
const SD = ['--dataset', 'cityscapes', '--vertical', 'self-driving'];

describe('labelmap apply', () => {
  it('remaps a folder: a summary on stdout, the manifest named on stderr, exit 0; a rerun skips', () => {
    const dir = tempDir();
    const r = runCli(['apply', CS, ...SD, '--match', '*_labelIds.png', '--out', 'out', '--jobs', '2'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('cityscapes@1.0.0 -> self-driving: 4 files, wrote 4\n');
    expect(r.stderr).toContain(`manifest: ${path.join('out', 'apply.json')}`);
    expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(['.labelmap-output', 'aachen', 'apply.json', 'bochum']);
    const again = runCli(['apply', CS, ...SD, '--match', '*_labelIds.png', '--out', 'out'], { cwd: dir });
    expect(again.stdout).toBe('cityscapes@1.0.0 -> self-driving: 4 files, wrote 0, skipped 4 already complete\n');
  });

  it('hostile files: each is named with its place on stderr, the manifest lists them, exit 1', () => {
    const dir = tempDir();
    const r = runCli(['apply', path.join(FIXTURES, 'apply', 'hostile'), ...SD, '--out', 'out', '--jobs', '1'], { cwd: dir });
    expect(r.code).toBe(1);
    const hostile = path.join(FIXTURES, 'apply', 'hostile');
    expect(r.stderr).toContain(`${path.join(hostile, 'truncated.png')}`);
    expect(r.stderr).toContain(`${path.join(hostile, 'bad_crc.png')} (byte 33): error apply-png-invalid: not a readable PNG: IDAT chunk checksum (CRC) mismatch`);
    expect(r.stderr).toMatch(/unknown_value\.png: error apply-mask-value-unknown: mask value 200 \(2 pixels, the first at x=5, y=3\)/);
    expect(r.stdout).toBe('cityscapes@1.0.0 -> self-driving: 8 files, wrote 1, 7 failed\n');
    expect(r.stderr).toMatch(/colour_unknown\.png: error apply-colour-unknown: colour #010203 \(1 pixels, the first at x=9, y=7\)/);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'out', 'apply.json'), 'utf8'));
    expect(manifest.failed).toHaveLength(7);
  });

  it('--encoding train_id reads *_labelTrainIds.png; an encoding the dataset lacks is exit 2, one message, nothing written', () => {
    const dir = tempDir();
    const trainIds = path.join(FIXTURES, 'apply', 'cityscapes-trainids');
    const r = runCli(['apply', trainIds, ...SD, '--match', '*_labelTrainIds.png', '--encoding', 'train_id', '--out', 'out'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('cityscapes@1.0.0 -> self-driving: 1 files, wrote 1\n');
    expect(JSON.parse(readFileSync(path.join(dir, 'out', 'apply.json'), 'utf8')).encoding).toBe('train_id');
    const bad = runCli(['apply', trainIds, ...SD, '--encoding', 'trainIds', '--out', 'other'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    // The notice that the shipped sheets are used (the temp folder has none), then the one error.
    expect(bad.stderr.replace(/^labelmap: no sheets folder here or above; using the sheets shipped with labelmap \(.*\)\n/, '')).toBe(
      'labelmap: error unknown-encoding: dataset "cityscapes" has no mask encoding "trainIds" (encodings: train_id)\n' +
        "  fix: leave the encoding out for masks that hold the dataset's native ids, or use one of the encodings listed (derived from the dataset sheet's train_id and mask_value columns)\n",
    );
    expect(existsSync(path.join(dir, 'other'))).toBe(false);
  });

  it('--stats --json prints the counts and writes nothing', () => {
    const dir = tempDir();
    const r = runCli(['apply', CS, ...SD, '--match', '*_labelIds.png', '--stats', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.files).toMatchObject({ total: 4, counted: 4, written: 0 });
    expect(summary.manifest).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    [['apply', CS, '--vertical', 'self-driving', '--out', 'o'], /missing --dataset/],
    [['apply', CS, ...SD], /missing --out/],
    [['apply', CS, ...SD, '--out', 'o', '--shard', '3/3'], /--shard "3\/3" is not K\/N/],
    [['apply', CS, ...SD, '--out', 'o', '--jobs', '0'], /--jobs "0" is not a positive integer/],
    [['apply', 'nope', ...SD, '--out', 'o'], /input not found/],
    [['apply', CS, '--dataset', 'cityscapes', '--out', 'o'], /no label set given/],
  ])('usage and input errors exit 2 and write nothing: %j', (args, message) => {
    const dir = tempDir();
    const r = runCli(args as string[], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(path.join(dir, 'o'))).toBe(false);
  });

  it('SIGKILL in the middle of a run leaves only whole files; the next run completes it to one clean run\'s bytes', async () => {
    // 24 masks of 2048x1024 (tiled from a fixture), so that the run takes long enough to be killed.
    const dir = tempDir();
    const small = decodePng(readFileSync(path.join(CS, 'aachen', 'aachen_000000_000019_gtFine_labelIds.png')));
    const { rows, pixelAt } = allocateRows(2048, 1024, 8);
    for (let y = 0; y < 1024; y++) for (let x = 0; x < 2048; x++) rows[pixelAt(y) + x] = small.data[(y % small.height) * small.width + ((x + y) % small.width)]!;
    const gray = encodePng(2048, 1024, 8, rows, null);
    mkdirSync(path.join(dir, 'in'));
    for (let i = 0; i < 24; i++) writeFileSync(path.join(dir, 'in', `m${String(i).padStart(2, '0')}.png`), gray);

    const clean = runCli(['apply', 'in', ...SD, '--out', 'clean', '--jobs', '1'], { cwd: dir });
    expect(clean.code).toBe(0);

    const child = spawn(process.execPath, [BIN, 'apply', 'in', ...SD, '--out', 'killed', '--jobs', '1'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
    const outDir = path.join(dir, 'killed');
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const done = existsSync(outDir) ? readdirSync(outDir).filter((n) => n.endsWith('.png')).length : 0;
        if (done >= 3 || child.exitCode !== null) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    await new Promise((resolve) => child.once('exit', resolve));
    const written = readdirSync(outDir).filter((n) => n.endsWith('.png'));
    expect(written.length).toBeGreaterThan(0);
    for (const name of written) expect(readFileSync(path.join(outDir, name)).equals(readFileSync(path.join(dir, 'clean', name)))).toBe(true);

    const resumed = runCli(['apply', 'in', ...SD, '--out', 'killed', '--jobs', '1'], { cwd: dir });
    expect(resumed.code).toBe(0);
    const names = readdirSync(path.join(dir, 'clean')).filter((n) => n.endsWith('.png'));
    expect(readdirSync(outDir).filter((n) => n.endsWith('.png')).sort()).toEqual(names.sort());
    for (const name of names) expect(readFileSync(path.join(outDir, name)).equals(readFileSync(path.join(dir, 'clean', name)))).toBe(true);
    const visible = readdirSync(outDir).filter((n) => !n.startsWith('.'));
    expect(visible.sort()).toEqual([...names, 'apply.json'].sort());
    expect(statSync(path.join(outDir, 'apply.json')).size).toBeGreaterThan(0);
  });

  it('a COCO instances file: rewritten with the label set\'s categories, exit 0; --coarse ignore drops what a set would keep', () => {
    const dir = tempDir();
    const file = path.join(FIXTURES, 'apply', 'coco', 'instances_val.json');
    const r = runCli(['apply', file, '--dataset', 'coco', '--vertical', 'self-driving', '--out', 'out'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('coco@1.0.0 -> self-driving: 1 files, wrote 1\n');
    const out = JSON.parse(readFileSync(path.join(dir, 'out', 'instances_val.json'), 'utf8'));
    expect(out.annotations.map((a: { id: number }) => a.id)).toEqual([1, 2, 3, 5, 6, 7]);
    const coarse = runCli(['apply', file, '--dataset', 'coco', '--vertical', 'self-driving', '--coarse', 'ignore', '--out', 'ignore'], { cwd: dir });
    expect(coarse.code, coarse.stderr).toBe(0);
    const ignored = JSON.parse(readFileSync(path.join(dir, 'ignore', 'instances_val.json'), 'utf8'));
    expect(ignored.annotations.map((a: { id: number }) => a.id)).toEqual([2, 3, 5, 6]);
    expect(ignored.categories.some((c: { label_set?: unknown }) => c.label_set)).toBe(false);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'ignore', 'apply.json'), 'utf8'));
    expect(manifest.bundle.coarse).toBe('ignore');
    expect(manifest.instances_dropped).toBe(3);
  });

  it('a COCO file that names a class the sheet lacks: located on stderr, exit 1, nothing written', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bad.json'), '{"images": [], "annotations": [{"id": 1, "category_id": 999}], "categories": []}');
    const r = runCli(['apply', 'bad.json', '--dataset', 'coco', '--vertical', 'self-driving', '--out', 'out'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.json:1 $.annotations[0].category_id: error apply-coco-category-unknown: category_id 999 is no class of the "coco" dataset sheet');
    expect(existsSync(path.join(dir, 'out', 'bad.json'))).toBe(false);
  });

  it('--coarse that differs from the bundle\'s is a usage error (exit 2)', () => {
    const dir = tempDir();
    expect(runCli(['merge', '--vertical', 'self-driving', '--out', 'b'], { cwd: dir }).code).toBe(0);
    const r = runCli(['apply', CS, '--dataset', 'cityscapes', '--bundle', 'b', '--coarse', 'ignore', '--out', 'o'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--coarse ignore, but the bundle was compiled with coarse set/);
    expect(existsSync(path.join(dir, 'o'))).toBe(false);
  });
});
