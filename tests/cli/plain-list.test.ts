// `labelmap list` with only global flags runs without commander (src/cli/argv.ts, start-up, issue
// 23): it must give exactly what the program gives when commander reads the same line
// (`commander: true`), on one folder; help, typos and extra words go through commander.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess, tempDir } from '../helpers/cli.js';

const dir = tempDir({
  'sheets/taxonomy/core@1.0.0.csv': 'id,name,parent,display_name,color,is_thing,description\n1,vehicle,,,,,\n2,car,vehicle,,,,\n',
  'sheets/taxonomy/core@1.1.0.csv': 'id,name,parent,display_name,color,is_thing,description\n1,vehicle,,,,,\n2,car,vehicle,,,,\n3,"truck, big",vehicle,,,,\n',
  'sheets/datasets/ds@1.0.0.csv': 'id,name,display_name,category,train_id,color,is_thing,evaluate\n1,car,,,,,,\n',
  // A misplaced file: list reports it (a finding on stderr) and still lists the rest.
  'sheets/dataset/old@1.0.0.csv': 'id,name\n',
});
const sheets = path.join(dir, 'sheets');

describe('list without commander', () => {
  for (const flags of [[], ['--json'], ['-q'], ['--quiet'], ['--no-color'], ['--json', '--quiet', '--no-color']]) {
    it(`list ${flags.join(' ')} gives what the program gives (stdout, stderr, exit code)`, async () => {
      const plain = await runInProcess(['list', ...flags], { cwd: dir });
      const before = await runInProcess([...flags, 'list'], { cwd: dir });
      const program = await runInProcess(['--sheets', sheets, ...flags, 'list'], { cwd: dir, commander: true });
      expect(plain.stdout).not.toBe('');
      expect(plain).toEqual(program);
      expect(before).toEqual(program);
    });
  }

  it('--quiet and --no-color mean what they mean through the program (an empty folder, colours forced)', async () => {
    const empty = tempDir({ 'sheets/datasets/.keep': '' });
    for (const flags of [[], ['-q'], ['--quiet']]) {
      const plain = await runInProcess(['list', ...flags], { cwd: empty });
      expect(plain).toEqual(await runInProcess(['--sheets', path.join(empty, 'sheets'), ...flags, 'list'], { cwd: empty, commander: true }));
      expect(plain.stderr).toEqual(flags.length ? '' : expect.stringContaining('no sheets in'));
    }
    const coloured = { NO_COLOR: undefined, FORCE_COLOR: '1' };
    for (const flags of [[], ['--no-color']]) {
      const plain = await runInProcess(['list', ...flags], { cwd: dir, env: coloured });
      expect(plain).toEqual(await runInProcess(['--sheets', sheets, ...flags, 'list'], { cwd: dir, env: coloured, commander: true }));
      expect(plain.stdout.includes('\u001b[')).toBe(flags.length === 0);
    }
  });

  it('sheet folder errors end the same way (exit 2, one message)', async () => {
    const empty = tempDir({});
    const plain = await runInProcess(['list'], { cwd: empty, env: { LABELMAP_SHEETS: path.join(empty, 'missing') } });
    const program = await runInProcess(['--sheets', path.join(empty, 'missing'), 'list'], { cwd: empty, commander: true });
    expect(plain.code).toBe(2);
    expect(plain).toEqual(program);
  });

  it('--help, a second word and unknown flags still go through commander', async () => {
    const help = await runInProcess(['list', '--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: labelmap list');
    const extra = await runInProcess(['list', 'extra'], { cwd: dir });
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain("too many arguments for 'list'");
    const unknown = await runInProcess(['list', '--wide'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--wide'");
  });
});
