import { megabytes } from '../src';

describe('megabytes', () => {
  it('writes sizes to one decimal, without a trailing .0, and never shows a non-empty size as 0', () => {
    expect(megabytes(50 * 1024 * 1024)).toBe('50');
    expect(megabytes(63_123_456)).toBe('60.2');
    expect(megabytes(1)).toBe('0.1');
    expect(megabytes(0)).toBe('0');
  });
});
