import { TRENDING_HALF_LIFE_HOURS, trendingKeyAfter, trendingScore } from '../../src/services/trending';

const HOUR_MS = 3_600_000;
const start = Date.parse('2026-01-01T00:00:00Z');

describe('trending score', () => {
  it('is 0 without events and the weight right after the first', () => {
    expect(trendingScore(null, start)).toBe(0);
    expect(trendingScore(trendingKeyAfter(null, 3, start), start)).toBeCloseTo(3, 9);
  });

  it('halves every half-life and adds new events to the decayed score', () => {
    const key = trendingKeyAfter(null, 4, start);
    const later = start + TRENDING_HALF_LIFE_HOURS * HOUR_MS;
    expect(trendingScore(key, later)).toBeCloseTo(2, 9);
    expect(trendingScore(key, start + 2 * TRENDING_HALF_LIFE_HOURS * HOUR_MS)).toBeCloseTo(1, 9);
    expect(trendingScore(trendingKeyAfter(key, 1, later), later)).toBeCloseTo(3, 9);
  });

  it('orders keys as it orders scores, at any time', () => {
    const old = trendingKeyAfter(trendingKeyAfter(null, 3, start), 3, start);
    const recent = trendingKeyAfter(null, 4, start + TRENDING_HALF_LIFE_HOURS * HOUR_MS);
    expect(recent).toBeGreaterThan(old);
    for (const at of [start + HOUR_MS, start + 400 * HOUR_MS]) {
      expect(trendingScore(recent, at)).toBeGreaterThan(trendingScore(old, at));
    }
  });
});
