import { FAKE_CREDENTIALS } from '../../../core/test/secrets/fakeCredentials';
import { buildServer, runCli } from '../helpers/cliProcess';
import { sampleNotebook } from '../helpers/fixtures';
import { gallerySql } from '../helpers/backendSql';
import { galleryArgs, startTestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

const github = FAKE_CREDENTIALS.find(fake => fake.rule === 'github-pat')!;

beforeAll(() => {
  buildServer();
}, 120_000);

/**
 * A gallery with two notebooks: "Clean" with two revisions, and "Leaky", whose second revision holds a token that
 * was confirmed when saved and whose confirmation is then dropped, as in a gallery saved before the check existed.
 */
async function galleryWithHistory(leaky: boolean): Promise<{ dataDir: string; leakyId?: string }> {
  const gallery = await startTestGallery();
  try {
    const ann = await gallery.login('ann');
    const save = async (title: string, codes: string[]) => {
      const created = await gallery.request(ann, {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: sampleNotebook('# One', codes[0]), title }
      });
      const id: string = created.json().id;
      let revision: string = created.json().revision;
      for (const code of codes.slice(1)) {
        const first = await gallery.request(ann, {
          method: 'PUT',
          url: `/api/notebooks/${id}`,
          payload: { notebook: sampleNotebook('# Two', code), baseRevision: revision }
        });
        const confirmedSecrets = first.statusCode === 422 ? first.json().findings.map((f: any) => f.fingerprint) : [];
        const saved =
          first.statusCode === 422
            ? await gallery.request(ann, {
                method: 'PUT',
                url: `/api/notebooks/${id}`,
                payload: { notebook: sampleNotebook('# Two', code), baseRevision: revision, confirmedSecrets }
              })
            : first;
        expect(saved.statusCode).toBe(200);
        revision = saved.json().revision;
      }
      return id;
    };
    await save('Clean', ['print(1)', 'print(2)']);
    const leakyId = leaky ? await save('Leaky', ['print(1)', `g = Github("${github.value}")`, 'print(3)']) : undefined;
    await gallerySql(gallery, 'DELETE FROM secret_allowlist');
    return { dataDir: gallery.dataDir, leakyId };
  } finally {
    await gallery.app.close();
  }
}

describe('notebook-gallery scan', () => {
  it(
    'lists each finding with its notebook, revision, cell and line, masked, and exits 1',
    async () => {
      const { dataDir, leakyId } = await galleryWithHistory(true);
      const result = runCli(['scan', ...(await galleryArgs(dataDir))]);
      expect(result.status).toBe(1);
      expect(result.stdout).not.toContain(github.value);
      const lines = result.stdout.trim().split('\n');
      expect(lines).toEqual([
        `${leakyId} "Leaky" revision 2 (${lines[0].split('(')[1].slice(0, 7)}) cell 2 line 1 column 13: ` +
          `GitHub personal access token [github-pat] ${github.value.slice(0, 4)}…${github.value.slice(-4)}`,
        expect.stringMatching(/^Scanned 2 notebooks, 5 revisions: 1 possible secrets in 1 notebooks\./)
      ]);

      const json = runCli(['scan', '--json', ...(await galleryArgs(dataDir))]);
      expect(json.status).toBe(1);
      expect(json.stdout).not.toContain(github.value);
      const report = JSON.parse(json.stdout);
      expect(report).toMatchObject({ notebooks: 2, revisions: 5, unreadable: [] });
      expect(report.findings).toEqual([
        expect.objectContaining({
          notebookId: leakyId,
          title: 'Leaky',
          revisionNumber: 2,
          rule: 'github-pat',
          cellIndex: 1,
          line: 1,
          column: 13
        })
      ]);
    },
    SETUP_TIMEOUT_MS + 60_000
  );

  it(
    'exits 0 and says so when nothing is found',
    async () => {
      const { dataDir } = await galleryWithHistory(false);
      const result = runCli(['scan', ...(await galleryArgs(dataDir))]);
      expect(result).toMatchObject({ status: 0 });
      expect(result.stdout).toBe('Scanned 1 notebooks, 2 revisions: no secrets found.\n');
      const json = JSON.parse(runCli(['scan', '--json', ...(await galleryArgs(dataDir))]).stdout);
      expect(json).toEqual({ notebooks: 1, revisions: 2, findings: [], unreadable: [] });
    },
    SETUP_TIMEOUT_MS + 60_000
  );

  it('rejects an unknown option with usage and exit 2', () => {
    const result = runCli(['scan', '--jsn']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/notebook-gallery scan: .*--jsn/);
  });
});
