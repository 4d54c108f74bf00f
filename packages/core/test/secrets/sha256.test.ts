import { createHash } from 'crypto';
import { secretFingerprint } from '../../src';
import { sha256Hex } from '../../src/secrets/sha256';

describe('sha256Hex', () => {
  it.each([
    [''],
    ['abc'],
    ['a'.repeat(55)],
    ['a'.repeat(56)],
    ['a'.repeat(64)],
    ['b'.repeat(1000)],
    ['héllo wörld ✓ 😀'],
    ['\0 rule\0value\n']
  ])('agrees with node:crypto for %j', text => {
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });

  it('fingerprints rule and value as SHA-256 of rule, NUL, value', () => {
    expect(secretFingerprint('github-pat', 'value')).toBe(
      createHash('sha256').update('github-pat\0value', 'utf8').digest('hex')
    );
  });
});
