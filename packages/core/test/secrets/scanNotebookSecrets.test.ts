import { ALLOWLIST_PRAGMA, scanNotebookSecrets, SECRET_RULES, secretFingerprint } from '../../src';
import type { ICell, INotebook } from '../../src';
import { FAKE_CREDENTIALS, IFakeCredential, NOT_SECRETS } from './fakeCredentials';

function codeCell(source: string | string[], id = 'c0'): ICell {
  return { cell_type: 'code', id, source, metadata: {}, outputs: [], execution_count: null };
}

function notebookOf(cells: ICell[], metadata: INotebook['metadata'] = {}): INotebook {
  return { nbformat: 4, nbformat_minor: 5, metadata, cells };
}

/** The credential's 1-based column in its line: where its value starts. */
function columnOf(fake: IFakeCredential): number {
  const start = fake.line.indexOf(fake.value);
  expect(start).toBeGreaterThanOrEqual(0);
  return start + 1;
}

describe('scanNotebookSecrets', () => {
  it('has a fake credential for every rule', () => {
    const covered = new Set(FAKE_CREDENTIALS.map(fake => fake.rule));
    expect(SECRET_RULES.map(rule => rule.id).filter(id => !covered.has(id))).toEqual([]);
  });

  it.each(FAKE_CREDENTIALS.map(fake => [fake.rule, fake] as const))(
    'catches %s with its line, column and a mask that hides it',
    (_rule, fake) => {
      const source = ['import os', '', fake.line, 'print("done")'].join('\n');
      const result = scanNotebookSecrets(notebookOf([codeCell('x = 1', 'first'), codeCell(source, 'second')]));
      expect(result.complete).toBe(true);
      expect(result.findings).toHaveLength(1);
      const [finding] = result.findings;
      expect(finding).toMatchObject({
        rule: fake.rule,
        cellIndex: 1,
        cellId: 'second',
        where: 'source',
        line: 3,
        column: columnOf(fake)
      });
      expect(finding.fingerprint).toBe(secretFingerprint(fake.rule, fake.value));
      expect(finding.masked).not.toContain(fake.value);
      expect(JSON.stringify(result)).not.toContain(fake.value);
    }
  );

  it('never puts a secret, or more than its ends, in the result', () => {
    const source = FAKE_CREDENTIALS.map(fake => fake.line).join('\n');
    const result = scanNotebookSecrets(notebookOf([codeCell(source)]));
    expect(result.findings).toHaveLength(FAKE_CREDENTIALS.length);
    const text = JSON.stringify(result);
    for (const fake of FAKE_CREDENTIALS) {
      // Any 9 characters in a row of the secret would be more than the mask's 4 + 4.
      for (let i = 0; i + 9 <= fake.value.length; i++) {
        const piece = fake.value.slice(i, i + 9);
        if (/[A-Za-z0-9]{9}/.test(piece) && !/^[A-Za-z]+$/.test(piece)) {
          expect(text).not.toContain(piece);
        }
      }
    }
  });

  it('finds secrets in cell source given as a list of lines, on the right line', () => {
    const fake = FAKE_CREDENTIALS[0];
    const result = scanNotebookSecrets(notebookOf([codeCell(['a = 1\n', 'b = 2\n', `${fake.line}\n`])]));
    expect(result.findings.map(f => [f.rule, f.line, f.column])).toEqual([[fake.rule, 3, columnOf(fake)]]);
  });

  it('finds a token that the notebook file holds JSON-escaped', () => {
    const github = FAKE_CREDENTIALS.find(fake => fake.rule === 'github-pat') as IFakeCredential;
    // In the file, "\u0067hp_..." is JSON's escape of "ghp_..."; parsing it gives the token back.
    const fileText = JSON.stringify(notebookOf([codeCell(`t = "${github.value}"`)])).replace('ghp_', '\\u0067hp_');
    expect(fileText).not.toContain('ghp_');
    const result = scanNotebookSecrets(JSON.parse(fileText));
    expect(result.findings.map(f => f.rule)).toEqual(['github-pat']);
  });

  it('finds secrets in markdown cells and in cell and notebook metadata', () => {
    const [aws, , github] = FAKE_CREDENTIALS;
    const markdown: ICell = { cell_type: 'markdown', id: 'md', source: `My key is ${aws.value}.`, metadata: {} };
    const withMetadata = codeCell('x = 1', 'meta');
    withMetadata.metadata = {
      tags: ['setup'],
      config: { note: `token ${github.value}`, api_key: 'Zx81Lm04Pq73Rt92Wv' }
    };
    const result = scanNotebookSecrets(
      notebookOf([markdown, withMetadata], { connection: { url: 'postgres://app:Vq8zL2xP@db/app' } })
    );
    expect(result.findings.map(f => [f.cellIndex, f.where, f.rule, f.line, f.column])).toEqual([
      [-1, 'metadata', 'connection-string-password', 1, 16],
      [0, 'source', 'aws-access-key-id', 1, 11],
      [1, 'metadata', 'github-pat', 1, 7],
      [1, 'metadata', 'secret-assignment', 1, 1]
    ]);
  });

  it('does not read outputs, attachments or cell ids', () => {
    const [aws] = FAKE_CREDENTIALS;
    const cell = codeCell('print(key)', aws.value);
    (cell as { outputs: unknown[] }).outputs = [{ output_type: 'stream', name: 'stdout', text: aws.value }];
    const markdown: ICell = {
      cell_type: 'markdown',
      source: '![plot](attachment:plot.png)',
      metadata: {},
      attachments: { 'plot.png': { 'image/png': `iVBORw0KGgo${aws.value}` } }
    };
    expect(scanNotebookSecrets(notebookOf([cell, markdown])).findings).toEqual([]);
  });

  it.each(NOT_SECRETS.map(line => [line]))('does not report %s', line => {
    expect(scanNotebookSecrets(notebookOf([codeCell(line)])).findings).toEqual([]);
  });

  it(`skips lines holding "${ALLOWLIST_PRAGMA}"`, () => {
    const [aws, secret] = FAKE_CREDENTIALS;
    const source = `${aws.line}  # pragma: allowlist secret\n${secret.line}`;
    expect(scanNotebookSecrets(notebookOf([codeCell(source)])).findings.map(f => [f.rule, f.line])).toEqual([
      [secret.rule, 2]
    ]);
  });

  it('leaves out findings whose fingerprint is confirmed, and only those', () => {
    const [aws, secret] = FAKE_CREDENTIALS;
    const notebook = notebookOf([codeCell(`${aws.line}\n${secret.line}`)]);
    const all = scanNotebookSecrets(notebook).findings;
    expect(all).toHaveLength(2);
    const rest = scanNotebookSecrets(notebook, { allowed: [all[0].fingerprint] }).findings;
    expect(rest.map(f => f.rule)).toEqual([secret.rule]);
    // The fingerprint names the rule and the value: the same value moved elsewhere stays confirmed.
    const moved = notebookOf([codeCell('# moved'), codeCell(`other = "${aws.value}"`)]);
    expect(scanNotebookSecrets(moved, { allowed: [all[0].fingerprint] }).findings).toEqual([]);
  });

  it('tolerates shapes that are not notebooks', () => {
    for (const value of [null, 42, 'text', [], { cells: 'no' }, { cells: [null, { source: 7 }] }]) {
      expect(scanNotebookSecrets(value)).toEqual({ findings: [], complete: true });
    }
  });

  it('answers within its bound for a hostile line of 200,000 characters of near-matches', () => {
    const near = [
      'ghp_abc ',
      'password = "" ',
      'AKIA ',
      'postgres://a:@ ',
      'eyJhbGciOi.eyJ ',
      '-----BEGIN PRIVATE KEY----- '
    ];
    let line = '';
    for (let i = 0; line.length < 200_000; i++) {
      line += near[i % near.length];
    }
    const started = Date.now();
    const result = scanNotebookSecrets(notebookOf([codeCell(line)]), { timeBudgetMs: 1000 });
    const elapsed = Date.now() - started;
    expect(result.findings).toEqual([]);
    // Either it finished, or it stopped at its deadline plus at most one window's work.
    expect(elapsed).toBeLessThan(1500);
  });

  it('finds each secret of a very long line once, at its column, wherever the windows cut it', () => {
    const tokens = FAKE_CREDENTIALS.filter(fake => ['github-pat', 'jwt', 'openai-api-key'].includes(fake.rule));
    // Put tokens across every window boundary: windows start every 5,632 characters and are 8,192 long.
    const columns: number[] = [];
    let line = '';
    for (let i = 0; i < 40; i++) {
      line += 'x = 1; '.repeat(80 + i * 13);
      columns.push(line.length + 1);
      line += `${tokens[i % tokens.length].value} `;
    }
    const findings = scanNotebookSecrets(notebookOf([codeCell(line)])).findings;
    expect(findings.map(f => f.column)).toEqual(columns);
    expect(findings.map(f => f.rule)).toEqual(columns.map((_, i) => tokens[i % tokens.length].rule));
  });

  it('does not report the part of a token that a window boundary cuts off', () => {
    const jwt = FAKE_CREDENTIALS.find(fake => fake.rule === 'jwt') as IFakeCredential;
    // The first window ends 10 characters before the token does; what it holds of the token still looks like one.
    const start = 8192 - jwt.value.length + 10;
    const line = `${' '.repeat(start)}${jwt.value} end`;
    const findings = scanNotebookSecrets(notebookOf([codeCell(line)])).findings;
    expect(findings.map(f => [f.rule, f.column, f.fingerprint])).toEqual([
      ['jwt', start + 1, secretFingerprint('jwt', jwt.value)]
    ]);
  });

  it('stops at its deadline and says the scan is incomplete', () => {
    const source = Array.from({ length: 2000 }, (_, i) => `token_${i} = "value ${i}"`).join('\n');
    const cells = Array.from({ length: 50 }, (_, i) => codeCell(source, `c${i}`));
    const result = scanNotebookSecrets(notebookOf(cells), { timeBudgetMs: 0 });
    expect(result.complete).toBe(false);
    expect(scanNotebookSecrets(notebookOf(cells.slice(0, 1))).complete).toBe(true);
  });
});
