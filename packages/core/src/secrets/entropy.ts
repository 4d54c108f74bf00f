/**
 * Shannon entropy in bits per character: how evenly a string uses its characters. Random tokens score high
 * (base64 approaches 6), words and repeated characters low, which is what separates `"s3cR3t-9fQ2..."` from
 * `"changeme"` in an assignment whose name says "password".
 */
export function shannonEntropy(text: string): number {
  if (text.length === 0) {
    return 0;
  }
  const counts = new Map<string, number>();
  for (const ch of text) {
    counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}
