/**
 * English words that say nothing about what a notebook does. Dropped from natural-language queries ("how to plot a
 * histogram in pandas") so that ranking rests on the words that matter.
 */
const STOP_WORDS = new Set(
  (
    'a an and any are as at be been but by can do does did for from get got has have how i if in into is it its ' +
    'me my no not of on or our so some than that the their them then there these this those to too use used using ' +
    'via was we what when where which while who why will with without would you your'
  ).split(' ')
);

/** Whether `token` (lower case, as the index tokenizes) is a stop word. */
export function isStopWord(token: string): boolean {
  return STOP_WORDS.has(token);
}
