/**
 * Properties a user relies on whatever the edits: a copy nobody edited takes the update exactly, an update that
 * changed nothing leaves the copy exactly as it is, and the same edit on both sides is taken once. Checked on many
 * random edits (cells inserted, deleted, moved, rewritten, lines changed), with and without cell ids.
 */
import { checkNotebook, mergeNotebooks, serializeNotebook, stripNotebook } from '../../src';
import type { INotebook } from '../../src';
import { notebook, type CellSpec } from './build';

function randomGenerator(seed: number): (n: number) => number {
  let state = seed;
  return n => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * n);
  };
}

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'load()', 'plot(x)', 'x = 1', 'y = 2', 'print(x)', '# note'];

function randomSource(random: (n: number) => number): string {
  return Array.from({ length: 1 + random(5) }, () => `${WORDS[random(WORDS.length)]} ${random(100)}`).join('\n');
}

function randomEdit(cells: CellSpec[], random: (n: number) => number, withIds: boolean, tag: string): CellSpec[] {
  const edited = cells.map(cell => [...(cell as [string | null, string])] as [string | null, string]);
  for (let step = 0, steps = 1 + random(4); step < steps; step++) {
    const at = random(edited.length + 1);
    switch (random(4)) {
      case 0:
        edited.splice(at, 0, [withIds ? `${tag}-${step}` : null, randomSource(random)]);
        break;
      case 1:
        if (at < edited.length) {
          edited.splice(at, 1);
        }
        break;
      case 2:
        if (at < edited.length) {
          const [moved] = edited.splice(at, 1);
          edited.splice(random(edited.length + 1), 0, moved);
        }
        break;
      default:
        if (at < edited.length) {
          const lines = edited[at][1].split('\n');
          lines[random(lines.length)] = `changed ${tag} ${random(1000)}`;
          edited[at] = [edited[at][0], lines.join('\n')];
        }
    }
  }
  return edited;
}

function same(result: INotebook, expected: INotebook): void {
  checkNotebook(result);
  expect(serializeNotebook(result)).toBe(serializeNotebook(stripNotebook(expected)));
}

describe.each([
  ['with ids', true],
  ['without ids', false]
])('mergeNotebooks on random edits, %s', (_, withIds) => {
  const cases = Array.from({ length: 150 }, (__, round) => {
    const random = randomGenerator(round + 1);
    const baseCells: CellSpec[] = Array.from({ length: 1 + random(8) }, (___, i) => [
      withIds ? `c${i}` : null,
      `${randomSource(random)}\n# cell ${i}`
    ]);
    const edited = randomEdit(baseCells, random, withIds, 'new');
    // An edit that deletes every cell leaves the builder no id to tell the version by; keep the base's.
    return { base: notebook(baseCells), edited: { ...notebook(edited), nbformat_minor: withIds ? 5 : 4 } };
  });

  it('gives a copy nobody edited exactly the update', () => {
    for (const { base, edited } of cases) {
      const result = mergeNotebooks(base, base, edited);
      expect(result.conflicts).toEqual([]);
      same(result.notebook, edited);
    }
  });

  it('leaves an edited copy exactly as it is when the update changed nothing', () => {
    for (const { base, edited } of cases) {
      const result = mergeNotebooks(base, edited, base);
      expect(result.conflicts).toEqual([]);
      same(result.notebook, edited);
    }
  });

  it('takes the same edits made on both sides once', () => {
    for (const { base, edited } of cases) {
      const result = mergeNotebooks(base, edited, structuredClone(edited));
      expect(result.conflicts).toEqual([]);
      same(result.notebook, edited);
    }
  });
});
