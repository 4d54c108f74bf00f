import fp from 'fastify-plugin';
import { dataDirectoryGuard } from '../storage/dataDirectoryGuard';
import { openGallery, type IGallery } from '../compositionRoot';
import type { IGalleryConfig } from '../config';
import type { ChangeRequestService } from '../services/changeRequestService';
import type { HealthService } from '../services/healthService';
import type { NotebookService } from '../services/notebookService';
import type { RevisionService } from '../services/revisionService';
import type { SaveHook } from '../storage/saveHooks';
import { DatabaseDamagedError } from '../errors/DatabaseDamagedError';

declare module 'fastify' {
  interface FastifyInstance {
    config: IGalleryConfig;
    /** The services and stores the composition root built. */
    gallery: IGallery;
    notebooks: NotebookService;
    revisions: RevisionService;
    changeRequests: ChangeRequestService;
    /** Run reports and notebook health. */
    notebookHealth: HealthService;
  }
}

/** Options of {@link databasePlugin}. */
export interface IDatabasePluginOptions {
  config: IGalleryConfig;
  saveHook?: SaveHook;
  /** The clock of stars, activity, health reports and staleness, in milliseconds; only tests pass one. */
  now?: () => number;
}

/**
 * Opens the gallery through the composition root, repairs what a crash left half-done (so requests see git and
 * SQLite agree), and decorates `config`, `gallery` and the notebook, revision and change-request services; the
 * database closes with the app.
 */
export const databasePlugin = fp<IDatabasePluginOptions>(
  async (fastify, { config, saveHook, now }) => {
    const gallery = await openGallery({
      dataDir: config.dataDir,
      fsync: config.fsync,
      databaseUrl: config.databaseUrl,
      defaultVisibility: config.defaultVisibility,
      apiTokenTtlSeconds: config.apiTokenTtlSeconds,
      caps: {
        tokensPerUser: config.maxTokensPerUser,
        openChangeRequestsPerNotebook: config.maxOpenChangeRequestsPerNotebook,
        openChangeRequestsPerUser: config.maxOpenChangeRequests
      },
      hubGroupRoles: config.hubGroupRoles,
      saveHook,
      log: fastify.log,
      healthStaleDays: config.healthStaleDays,
      readWorkers: config.readWorkers,
      queryBudgetMs: config.queryBudgetMs,
      embeddingModel: config.embeddingModel,
      now,
      webhooks: {
        siteWide:
          config.webhookUrl !== null && config.webhookSecret !== null
            ? { url: config.webhookUrl, secret: config.webhookSecret }
            : null,
        timeoutMs: config.webhookTimeoutSeconds * 1000,
        attempts: config.webhookAttempts,
        retryDelayMs: config.webhookRetrySeconds * 1000
      }
    });
    fastify.addHook('onClose', async () => {
      await gallery.close();
    });
    const problems = await gallery.databaseCheck.quickCheck();
    if (problems.length > 0) {
      await gallery.close();
      throw new DatabaseDamagedError(gallery.databaseLocation, `quick_check: ${problems.slice(0, 3).join('; ')}`);
    }
    const started = Date.now();
    const { reconciled, journaled, alignment } = await gallery.repairAtStart();
    if (Object.values(reconciled).some(count => count > 0)) {
      fastify.log.warn({ reconcile: reconciled }, 'finished saves interrupted by a crash');
    }
    if (journaled > 0) {
      fastify.log.info({ journaled }, 'wrote the record journal of notebooks saved before the upgrade');
    }
    for (const finding of alignment.findings) {
      const line = `${finding.code}: notebook ${finding.notebook} "${finding.title ?? '?'}" of ${finding.owner ?? '?'}: ${finding.message}`;
      if (finding.repaired) {
        fastify.log.warn({ finding }, line);
      } else {
        fastify.log.error({ finding }, `${line}. Run "notebook-gallery fsck" for the full picture`);
      }
    }
    fastify.log.info(
      { notebooks: alignment.notebooks, findings: alignment.findings.length, ms: Date.now() - started },
      'compared every notebook branch with the database'
    );
    // The upgrade queues are shared by every replica on one PostgreSQL database: the first replica to start works
    // through them while the others serve at once (with SQLite this process is the only one and always runs them).
    const queues = await gallery.onlyOneReplica('start-up-queues', async () => {
      const reindexed = await gallery.reindexSearch();
      if (reindexed > 0) {
        fastify.log.info({ reindexed }, 'indexed the text of notebooks for the upgraded search index');
      }
      const backfilled = await gallery.backfillEnvironments();
      if (backfilled > 0) {
        fastify.log.info({ backfilled }, 'recorded the environment of revisions saved before the upgrade');
      }
      const vectors = await gallery.reindexSimilarity();
      if (vectors > 0) {
        fastify.log.info({ vectors }, 'built the term vectors of notebooks for similar notebooks');
      }
    });
    if (!queues) {
      fastify.log.info('another replica is working through the upgrade queues');
    }
    // A write to a data directory deleted under the server would be acknowledged and lost: refuse it instead.
    const checkDataDirectory = dataDirectoryGuard(config.dataDir);
    fastify.addHook('onRequest', async request => {
      if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS') {
        checkDataDirectory();
      }
    });
    // Deliveries left queued by an earlier run go out now; the database's close stops them first.
    gallery.webhooks.start();
    // In the background once serving: minutes at 100,000 notebooks, and an unembedded notebook is still found by words.
    void gallery
      .onlyOneReplica('embeddings-backfill', () => gallery.backfillEmbeddings())
      .then(ran => ran?.value ?? 0)
      .then(
        embedded => {
          if (embedded > 0) {
            fastify.log.info({ embedded }, 'embedded notebooks saved before the embedding model was installed');
          }
        },
        error => fastify.log.error({ err: error }, 'could not embed the notebooks saved before the model was installed')
      );
    // In the background once serving: the top-k engine's tables after the upgrade that added them (36 minutes at
    // 100,000 notebooks when it blocked start); searches use FTS5's ranking until they are whole.
    void gallery
      .onlyOneReplica('search-ranking-fill', () => gallery.fillSearchRanking())
      .then(ran => ran?.value ?? 0)
      .then(
        ranked => {
          if (ranked > 0) {
            fastify.log.info({ ranked }, 'filled the ranking tables of the top-k search engine');
          }
        },
        error => fastify.log.error({ err: error }, 'could not fill the ranking tables of the top-k search engine')
      );
    fastify.decorate('config', config);
    fastify.decorate('gallery', gallery);
    fastify.decorate('notebooks', gallery.notebooks);
    fastify.decorate('revisions', gallery.revisions);
    fastify.decorate('changeRequests', gallery.changeRequests);
    fastify.decorate('notebookHealth', gallery.health);
  },
  { name: 'gallery-db', fastify: '5.x' }
);
