// Issue 24: text from data never drives the terminal. `show` printed raw ESC/OSC sequences (OSC 0
// sets the window title, OSC 52 writes the clipboard), CR and backspace from class names; a
// 100,000-character ref was echoed whole, twice. One sanitiser (src/text/terminal.ts) serves the
// table printer, the findings' wording and the commands' human lines.
import { describe, expect, it } from 'vitest';
import { finding, findingToJson, formatFinding } from '../../src/findings.js';
import { cutLong, printable, printableLines } from '../../src/text/index.js';
import { runInProcess, tempDir } from '../helpers/cli.js';

/** Any character a terminal acts on, except the line feed that ends each printed line. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const HOSTILE = [
  'title\u001b]0;pwned\u0007',
  'clip\u001b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u0007',
  'over\rwritten',
  'back\b\b\bspace',
  'csi\u001b[2J\u001b[H',
  'c1\u009b31m',
  'bidi\u202eevil',
];

describe('printable', () => {
  it('shows every control as an escape and leaves printable text alone', () => {
    expect(printable('a\u001b]0;x\u0007b')).toBe('a\\x1b]0;x\\x07b');
    expect(printable('c\rd\be\tf\ng')).toBe('c\\rd\\be\\tf\\ng');
    expect(printable('x\u009b31my \u202e \u0000 \u007f')).toBe('x\\x9b31my \\u202e \\x00 \\x7f');
    expect(printable('Straße 道路 🚲 "quoted" back\\slash')).toBe('Straße 道路 🚲 "quoted" back\\slash');
    expect(printable('lone \ud800 surrogate')).toBe('lone \\ud800 surrogate');
    for (const h of HOSTILE) {
      expect(printable(h)).not.toMatch(RAW_CONTROL);
      expect(printable(printable(h))).toBe(printable(h));
    }
  });

  it('keeps lines and colour sequences of a composed message, and nothing else', () => {
    expect(printableLines('\u001b[1mbold\u001b[22m name \u001b]0;t\u0007\nnext')).toBe('\u001b[1mbold\u001b[22m name \\x1b]0;t\\x07\nnext');
  });

  it('cuts long text, saying how long it was', () => {
    expect(cutLong('a'.repeat(100_000))).toBe(`${'a'.repeat(300)}… (100000 characters)`);
    expect(cutLong('short')).toBe('short');
    // never between the halves of a surrogate pair
    expect(cutLong(`${'a'.repeat(299)}🚲🚲`)).toBe(`${'a'.repeat(299)}… (303 characters)`);
  });
});

describe('findings from hostile data', () => {
  it('formatFinding shows controls as escapes and cuts long arguments; JSON keeps the raw args', () => {
    const f = finding('sheet-ref-invalid', 'error', { file: 'sheets/x\u001b]0;t\u0007.csv', line: 2 }, { ref: `r\u001b[2J${'z'.repeat(100_000)}` });
    const text = formatFinding(f);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain('sheets/x\\x1b]0;t\\x07.csv:2');
    expect(text).toContain('"r\\u001b[2J');
    expect(text.length).toBeLessThan(1000);
    const json = findingToJson(f);
    expect(json.message).not.toMatch(RAW_CONTROL);
    expect((json.args as { ref: string }).ref).toHaveLength(100_005);
  });
});

describe('the CLI', () => {
  const header = 'id,name,display_name,category,train_id,color,is_thing,evaluate\n';
  const rows = HOSTILE.map((h, i) => `${i},"${h}",,,,,,`).join('\n');
  const dir = tempDir({ 'sheets/datasets/hostile@1.0.0.csv': `${header}${rows}\n` });

  it('show prints every class name with its controls as escapes', async () => {
    const r = await runInProcess(['show', 'hostile', '--wide'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    for (const h of HOSTILE) expect(r.stdout).toContain(printable(h));
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(HOSTILE.length + 1);
  });

  it('a 100,000-character ref is cut, and echoed once', async () => {
    const ref = 'a'.repeat(100_000);
    for (const args of [['show', ref], ['diff', ref, 'hostile']]) {
      const r = await runInProcess(args, { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr.length).toBeLessThan(1500);
      expect(r.stderr.split('a'.repeat(300)).length - 1).toBe(1);
      expect(r.stderr).toContain('… (100000 characters)');
    }
  });
});
