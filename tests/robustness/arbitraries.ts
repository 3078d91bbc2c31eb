// fast-check arbitraries for the four kinds of sheet, shaped by the documented semantics: names
// and slugs are read trimmed (so they are generated without surrounding spaces), colours and
// booleans lower-case; every other text cell is any Unicode text, with quotes, commas, CR, LF,
// leading spaces, NUL and formula-looking starts over-represented.
import fc from 'fast-check';
import type { DatasetClass, MappingRow, TaxonomyClass, VerticalRow } from '../../src/sheets/schema.js';

const SPECIAL = [',', '"', '""', '\n', '\r', '\r\n', ' ', '  ', '\t', 'a', 'Z', 'é', '東', '😀', '\u0000', '\u00a0', '\ufeff', '=', '+', '-', '@', ';', '\\'];

/** Any text a cell may hold. */
export const text: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.array(fc.constantFrom(...SPECIAL), { maxLength: 8 }).map((parts) => parts.join('')),
  fc.constant(''),
);

/** A name as the reader keeps it: not empty, no surrounding white space (String.prototype.trim's). */
export const name: fc.Arbitrary<string> = text.map((s) => s.trim()).filter((s) => s !== '');

export const slug: fc.Arbitrary<string> = fc
  .array(fc.stringMatching(/^[a-z0-9]{1,4}$/), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('_'))
  .filter((s) => /^[a-z]/.test(s));

export const color: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc.integer({ min: 0, max: 0xffffff }).map((v) => `#${v.toString(16).padStart(6, '0')}`),
);
const flag = fc.option(fc.boolean(), { nil: null });
const id = fc.integer({ min: -1_000_000, max: 1_000_000 });

/** Dataset rows with unique ids and names; all rows share one set of x_ columns and counts or none. */
export const datasetRows: fc.Arbitrary<DatasetClass[]> = fc
  .tuple(
    fc.uniqueArray(fc.tuple(id, name), { minLength: 1, maxLength: 12, selector: ([i, n]) => i, comparator: 'SameValue' }).filter((rows) => new Set(rows.map(([, n]) => n)).size === rows.length),
    fc.uniqueArray(fc.stringMatching(/^x_[a-z0-9_]{1,8}$/), { maxLength: 3 }),
    fc.boolean(),
  )
  .chain(([keys, extras, counts]) =>
    fc.tuple(
      ...keys.map(([i, n]) =>
        fc.record({
          id: fc.constant(i),
          name: fc.constant(n),
          display_name: text,
          category: text,
          train_id: fc.option(fc.integer({ min: -1, max: 65535 }), { nil: null }),
          color,
          is_thing: flag,
          evaluate: flag,
          ...(counts ? { instances: fc.option(fc.nat(), { nil: null }), images: fc.option(fc.nat(), { nil: null }) } : {}),
          extra: fc.tuple(...extras.map(() => text)).map((values) => Object.fromEntries(extras.map((k, j) => [k, values[j]!]))),
        }),
      ),
    ),
  ) as fc.Arbitrary<DatasetClass[]>;

export const taxonomyRows: fc.Arbitrary<TaxonomyClass[]> = fc
  .uniqueArray(fc.tuple(fc.nat({ max: 100_000 }), slug), { minLength: 1, maxLength: 12, selector: ([i]) => i })
  .filter((rows) => new Set(rows.map(([, n]) => n)).size === rows.length)
  .chain((keys) =>
    fc.tuple(
      ...keys.map(([i, n]) =>
        fc.record({ id: fc.constant(i), name: fc.constant(n), parent: fc.oneof(fc.constant(''), slug), display_name: text, color, is_thing: flag, description: text }),
      ),
    ),
  );

export const mappingRows: fc.Arbitrary<MappingRow[]> = fc
  .uniqueArray(name, { minLength: 1, maxLength: 12 })
  .chain((sources) => fc.tuple(...sources.map((source) => fc.record({ source: fc.constant(source), target: fc.oneof(fc.constant('ignore'), slug), note: text }))));

export const verticalRows: fc.Arbitrary<VerticalRow[]> = fc.array(
  fc.record({ class: slug, include: slug, train_id: fc.option(fc.integer({ min: 0, max: 65534 }), { nil: null }), color }),
  { minLength: 1, maxLength: 12 },
);
