import { FAKE_CREDENTIALS } from '../../../core/test/secrets/fakeCredentials';
import { sampleNotebook } from '../helpers/fixtures';
import { gallerySql } from '../helpers/backendSql';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

let gallery: ITestGallery;
let ann: string;
let bob: string;

const github = FAKE_CREDENTIALS.find(fake => fake.rule === 'github-pat')!;
const password = FAKE_CREDENTIALS.find(fake => fake.rule === 'connection-string-password')!;

beforeEach(async () => {
  gallery = await startTestGallery({ 'default-visibility': 'public' });
  [ann, bob] = await Promise.all([gallery.login('ann'), gallery.login('bob')]);
}, SETUP_TIMEOUT_MS);

afterEach(async () => {
  await gallery.close();
});

function withCode(code: string, text = '# Analysis') {
  return sampleNotebook(text, code);
}

function create(token: string, notebook: unknown, extra: Record<string, unknown> = {}) {
  return gallery.request(token, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook, title: 'Analysis', ...extra }
  });
}

function save(token: string, id: string, notebook: unknown, baseRevision: string, extra: Record<string, unknown> = {}) {
  return gallery.request(token, {
    method: 'PUT',
    url: `/api/notebooks/${id}`,
    payload: { notebook, baseRevision, ...extra }
  });
}

/** The 422 reply, checked for what every such reply must hold: the findings, and never the secret. */
function refused(response: { statusCode: number; body: string; json(): any }, secret: string) {
  expect(response.statusCode).toBe(422);
  expect(response.body).not.toContain(secret);
  const body = response.json();
  expect(body.error).toBe('SECRETS_FOUND');
  expect(body.message).toMatch(/confirmedSecrets/);
  return body.findings as { rule: string; fingerprint: string; cellIndex: number; line: number; masked: string }[];
}

describe('the secret check on saves', () => {
  it('refuses a new notebook holding a token with 422, masked findings and no secret in the reply', async () => {
    const response = await create(ann, withCode(`import github\ng = github.Github("${github.value}")`));
    const findings = refused(response, github.value);
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'github-pat', cellIndex: 1, cellId: 'code-1', where: 'source', line: 2 })
    ]);
    expect(findings[0].masked).toMatch(/^ghp_…/);
    // Nothing was saved.
    const list = await gallery.request(ann, { method: 'GET', url: '/api/notebooks' });
    expect(list.json().items).toEqual([]);
  });

  it('saves with confirmedSecrets, keeps the confirmation, and lets later saves of it through', async () => {
    const notebook = withCode(`g = Github("${github.value}")`);
    const [finding] = refused(await create(ann, notebook), github.value);
    const created = await create(ann, notebook, { confirmedSecrets: [finding.fingerprint] });
    expect(created.statusCode).toBe(201);
    const { id, revision } = created.json();

    // A later save of the same value, moved to another line, passes without confirming again.
    const moved = withCode(`import os\n\ng = Github("${github.value}")`, '# Analysis, v2');
    const second = await save(ann, id, moved, revision);
    expect(second.statusCode).toBe(200);

    // Another value is a new finding.
    const another = withCode(`g = Github("${github.value}")\nengine = "${password.line.split('"')[1]}"`);
    const third = refused(await save(ann, id, another, second.json().revision), password.value);
    expect(third.map(f => f.rule)).toEqual(['connection-string-password']);
  });

  it('lets a save through once the cell is fixed', async () => {
    const { id, revision } = (await create(ann, withCode('print(1)'))).json();
    refused(await save(ann, id, withCode(`token = "${github.value}"`), revision), github.value);
    const fixed = await save(ann, id, withCode('token = os.environ["GITHUB_TOKEN"]'), revision);
    expect(fixed.statusCode).toBe(200);
  });

  it('checks the notebook a merge would commit', async () => {
    const { id, revision } = (await create(ann, withCode('print(1)'))).json();
    const moved = await save(ann, id, withCode('print(1)', '# Title changed'), revision);
    expect(moved.statusCode).toBe(200);
    const stale = await save(ann, id, withCode(`t = "${github.value}"`), revision, { merge: true });
    refused(stale, github.value);
    const confirmed = await save(ann, id, withCode(`t = "${github.value}"`), revision, {
      merge: true,
      confirmedSecrets: refused(stale, github.value).map(f => f.fingerprint)
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().merged).toBe(true);
  });

  it("keeps one user's confirmation for the notebook, not for other notebooks", async () => {
    const notebook = withCode(`g = Github("${github.value}")`);
    const [finding] = refused(await create(ann, notebook), github.value);
    const { id, revision } = (await create(ann, notebook, { confirmedSecrets: [finding.fingerprint] })).json();

    // bob proposes the same cell on ann's notebook: ann's confirmation covers it.
    const proposal = await gallery.request(bob, {
      method: 'POST',
      url: `/api/notebooks/${id}/change-requests`,
      payload: {
        notebook: withCode(`g = Github("${github.value}")`, '# Better'),
        baseRevision: revision,
        message: 'Title'
      }
    });
    expect(proposal.statusCode).toBe(201);

    // The same value in another notebook is refused until confirmed there.
    refused(await create(bob, notebook), github.value);
  });

  it('refuses a change request holding an unconfirmed secret, and takes confirmedSecrets', async () => {
    const { id, revision } = (await create(ann, withCode('print(1)'))).json();
    const propose = (extra: Record<string, unknown> = {}) =>
      gallery.request(bob, {
        method: 'POST',
        url: `/api/notebooks/${id}/change-requests`,
        payload: { notebook: withCode(`t = "${github.value}"`), baseRevision: revision, message: 'Add', ...extra }
      });
    const findings = refused(await propose(), github.value);
    const proposed = await propose({ confirmedSecrets: findings.map(f => f.fingerprint) });
    expect(proposed.statusCode).toBe(201);
    // The proposer's confirmation is the notebook's now: ann accepts without confirming again.
    const accepted = await gallery.request(ann, {
      method: 'POST',
      url: `/api/notebooks/${id}/change-requests/${proposed.json().id}/accept`,
      payload: {}
    });
    expect(accepted.statusCode).toBe(200);
  });

  it('checks a restore, as an old revision may predate the check', async () => {
    const leaky = withCode(`t = "${github.value}"`);
    const [finding] = refused(await create(ann, leaky), github.value);
    const { id, revision } = (await create(ann, leaky, { confirmedSecrets: [finding.fingerprint] })).json();
    expect((await save(ann, id, withCode('print(1)'), revision)).statusCode).toBe(200);
    // As in a gallery whose history was saved before the check existed.
    await gallerySql(gallery, 'DELETE FROM secret_allowlist');
    const restore = (extra: Record<string, unknown> = {}) =>
      gallery.request(ann, { method: 'POST', url: `/api/notebooks/${id}/restore`, payload: { revision, ...extra } });
    refused(await restore(), github.value);
    const restored = await restore({ confirmedSecrets: [finding.fingerprint] });
    expect(restored.statusCode).toBe(200);
    expect(restored.json().changed).toBe(true);
  });

  it('refuses confirmedSecrets that are not fingerprints', async () => {
    const response = await create(ann, withCode('print(1)'), { confirmedSecrets: ['not-a-fingerprint'] });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('VALIDATION_FAILED');
  });

  it('does not refuse placeholders, environment lookups or the pragma', async () => {
    const code = [
      'token = os.environ["GITHUB_TOKEN"]',
      'password = getpass()',
      'api_key = "<your key>"',
      `legacy = "${github.value}"  # pragma: allowlist secret`
    ].join('\n');
    expect((await create(ann, withCode(code))).statusCode).toBe(201);
  });
});
