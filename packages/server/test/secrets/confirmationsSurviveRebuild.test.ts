import { stripNotebook, validateNotebook } from '@notebook-gallery/core';
import { FAKE_CREDENTIALS } from '../../../core/test/secrets/fakeCredentials';
import { openGallery } from '../../src/compositionRoot';
import { SecretsFoundError } from '../../src/errors/SecretsFoundError';
import { sampleNotebook } from '../helpers/fixtures';
import { startTestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

const github = FAKE_CREDENTIALS.find(fake => fake.rule === 'github-pat')!;

it(
  "keeps a notebook's confirmations through rebuild-index, from its record journal",
  async () => {
    const notebook = sampleNotebook('# Leaky', `g = Github("${github.value}")`);
    const gallery = await startTestGallery();
    let confirmedId: string;
    let otherId: string;
    try {
      const ann = await gallery.login('ann');
      const create = (extra: Record<string, unknown>) =>
        gallery.request(ann, { method: 'POST', url: '/api/notebooks', payload: { notebook, title: 'T', ...extra } });
      const refused = await create({});
      expect(refused.statusCode).toBe(422);
      const fingerprints = refused.json().findings.map((finding: { fingerprint: string }) => finding.fingerprint);
      confirmedId = (await create({ confirmedSecrets: fingerprints })).json().id;
      const other = await gallery.request(ann, {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: sampleNotebook('# Clean'), title: 'Other' }
      });
      otherId = other.json().id;
    } finally {
      await gallery.app.close();
    }

    const reopened = await openGallery({
      dataDir: gallery.dataDir,
      fsync: false,
      databaseUrl: gallery.config.databaseUrl
    });
    try {
      const report = await reopened.rebuildIndex();
      expect(report.notebooks).toBe(2);
      expect(report.entriesSkipped).toBe(0);
      const stripped = stripNotebook(validateNotebook(notebook));
      await expect(reopened.secrets.check([confirmedId], stripped)).resolves.toEqual({
        fingerprints: expect.any(Array)
      });
      // Per notebook still: the other notebook never confirmed it.
      await expect(reopened.secrets.check([otherId], stripped)).rejects.toThrow(SecretsFoundError);
    } finally {
      await reopened.close();
      await gallery.close();
    }
  },
  SETUP_TIMEOUT_MS + 30_000
);
