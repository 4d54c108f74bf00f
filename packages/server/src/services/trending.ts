import type { ActivityKind } from '@notebook-gallery/core';

/**
 * Half-life of the trending score, in hours: 7 days. A gallery hub has tens to hundreds of users, so events are
 * sparse; a one-day half-life would let a single view rank a notebook for a day and wipe out a weekly routine, while
 * a month would keep last term's notebooks on top. After a week an event counts half, after a month about 1/20.
 */
export const TRENDING_HALF_LIFE_HOURS = 7 * 24;

/** How much one counted event adds to the score: opening a notebook to run it says more than looking at it. */
export const ACTIVITY_WEIGHTS: Readonly<Record<ActivityKind, number>> = { view: 1, download: 2, open: 3 };

const MS_PER_HOUR = 3_600_000;

/** Time as the key counts it: half-lives since the epoch. */
function halfLivesAt(nowMs: number): number {
  return nowMs / MS_PER_HOUR / TRENDING_HALF_LIFE_HOURS;
}

/**
 * The score of a stored key at `nowMs`: the sum of the weights of past events, each halved per half-life since it
 * happened. 0 without a key.
 */
export function trendingScore(key: number | null, nowMs: number): number {
  return key === null ? 0 : 2 ** (key - halfLivesAt(nowMs));
}

/**
 * The key after an event of `weight` at `nowMs`. Keys are log2(score) + half-lives since the epoch: every score
 * decays by the same factor, so comparing keys compares scores at any moment and an index on the key stays valid.
 */
export function trendingKeyAfter(key: number | null, weight: number, nowMs: number): number {
  return Math.log2(trendingScore(key, nowMs) + weight) + halfLivesAt(nowMs);
}
