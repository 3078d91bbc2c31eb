import fc from 'fast-check';
import semverCompare from 'semver/functions/compare.js';
import semverValid from 'semver/functions/valid.js';
import { describe, expect, it } from 'vitest';
import { compareSemver, isExactSemver } from '../../src/versioning/semver-lite.js';

// Version-like strings: mostly valid, often one character off (leading zeros, a 'v', build
// metadata, empty identifiers, spaces, huge numbers), so both answers of isExactSemver are common.
const number = fc.oneof(fc.constantFrom('0', '1', '2', '10', '01', '00', '9007199254740991', '9007199254740992', '99999999999999999999'), fc.nat(30).map(String));
const identifier = fc.oneof(number, fc.constantFrom('rc', 'alpha', 'beta', '-', 'a-1', '0a', '1a', 'x.y', '', 'A', 'Z9', 'a_b', ' '));
const versionText = fc
  .tuple(
    fc.constantFrom('', '', '', 'v', '=', ' '),
    number,
    number,
    number,
    fc.option(fc.array(identifier, { minLength: 1, maxLength: 4 }), { nil: undefined }),
    fc.option(fc.constantFrom('+build', '+1.2', '+', ' '), { nil: undefined }),
  )
  .map(([lead, major, minor, patch, pre, tail]) => `${lead}${major}.${minor}.${patch}${pre ? `-${pre.join('.')}` : ''}${tail ?? ''}`);

describe('semver-lite: the same answers as the semver package', () => {
  it('accepts exactly the strings semver.valid returns unchanged', () => {
    fc.assert(
      fc.property(fc.oneof(versionText, fc.string({ maxLength: 12 })), (v) => {
        expect(isExactSemver(v)).toBe(semverValid(v) === v);
      }),
      { numRuns: 5000 },
    );
    expect(isExactSemver('1.0.0')).toBe(true);
    expect(isExactSemver('1.0.0-rc.1')).toBe(true);
    expect(isExactSemver('1.0')).toBe(false);
    expect(isExactSemver('1.0.0+b')).toBe(false);
    expect(isExactSemver(`1.0.0-${'a'.repeat(300)}`)).toBe(false);
  });

  it('orders versions exactly as semver.compare does', () => {
    const valid = versionText.filter((v) => semverValid(v) === v);
    fc.assert(
      fc.property(valid, valid, (a, b) => {
        expect(compareSemver(a, b)).toBe(semverCompare(a, b));
      }),
      { numRuns: 5000 },
    );
    const sorted = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.2.0', '1.10.0', '2.0.0'];
    expect([...sorted].reverse().sort(compareSemver)).toEqual(sorted);
  });
});
