import { describe, expect, it } from 'vitest';
import { finding } from '../../src/findings.js';
import { escapeData, escapeProperty, githubAnnotation, REPORTERS, summaryLine } from '../../src/validate/reporters.js';

const report = {
  sheets: 'sheets',
  files: 3,
  findings: [
    finding('cell-invalid', 'error', { file: 'sheets/taxonomy/core@1.0.0.csv', line: 4, column: 5 }, {
      column: 'color',
      expected: 'a colour #rrggbb (or an empty cell)',
      found: '#848',
      fix: 'write the colour with six hex digits: #884488',
    }),
    finding('vertical-include-redundant', 'warning', { file: 'sheets/verticals/a,b:c@1.0.0.csv', line: 5, column: 2 }, {
      include: 'car',
      class: 'vehicle',
      ancestor: 'vehicle',
      ancestorLine: 4,
      ancestorClass: 'vehicle',
    }),
  ],
};

describe('GitHub annotations', () => {
  it('escape %, CR and LF in the message, and also , and : in properties', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('a,b:c%\n')).toBe('a%2Cb%3Ac%25%0A');
  });

  it('carry file, line, col and the code as title; the fix goes on a second line', () => {
    expect(githubAnnotation(report.findings[0]!)).toBe(
      '::error file=sheets/taxonomy/core@1.0.0.csv,line=4,col=5,title=labelmap cell-invalid::' +
        'column "color": expected a colour #rrggbb (or an empty cell), found "#848"%0Afix: write the colour with six hex digits: #884488',
    );
    const warning = githubAnnotation(report.findings[1]!);
    expect(warning.startsWith('::warning file=sheets/verticals/a%2Cb%3Ac@1.0.0.csv,line=5,col=2,title=labelmap vertical-include-redundant::')).toBe(true);
  });

  it('leave out what a finding does not have', () => {
    const f = finding('mapping-dataset-missing', 'error', { file: 'sheets/mappings/x@1.0.0.csv' }, { name: 'x', expected: 'datasets/x@<version>.csv' });
    expect(githubAnnotation(f)).toMatch(/^::error file=sheets\/mappings\/x@1\.0\.0\.csv,title=labelmap mapping-dataset-missing::a mapping/);
  });
});

describe('REPORTERS', () => {
  it('text: the one text form of each finding', () => {
    expect(REPORTERS.text.render(report).split('\n')).toEqual([
      'sheets/taxonomy/core@1.0.0.csv:4:5: error cell-invalid: column "color": expected a colour #rrggbb (or an empty cell), found "#848"',
      '  fix: write the colour with six hex digits: #884488',
      'sheets/verticals/a,b:c@1.0.0.csv:5:2: warning vertical-include-redundant: output class "vehicle" includes "car" here and already includes it through its ancestor "vehicle" (line 4), whose whole subtree it takes',
      '  fix: remove this row: the ancestor row already includes the class',
    ]);
  });

  it('json: a versioned document with counts and the stable finding form', () => {
    const doc = JSON.parse(REPORTERS.json.render(report));
    expect(doc).toMatchObject({ format: 'labelmap-validate', format_version: 1, sheets: 'sheets', files: 3, errors: 1, warnings: 1 });
    expect(Object.keys(doc.findings[0])).toEqual(['code', 'severity', 'file', 'line', 'column', 'offset', 'path', 'message', 'fix', 'args']);
    expect(doc.findings[1]).toMatchObject({ code: 'vertical-include-redundant', severity: 'warning', line: 5, column: 2 });
  });

  it('summary: counts and the folder', () => {
    expect(summaryLine(report)).toBe('labelmap validate: 1 error, 1 warning in 3 sheet files (sheets)');
    expect(summaryLine({ sheets: '.', files: 1, findings: [] })).toBe('labelmap validate: no findings in 1 sheet file (.)');
  });
});
