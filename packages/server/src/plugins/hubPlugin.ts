import fp from 'fastify-plugin';
import { HubAuthenticator } from '../auth/hubAuthenticator';
import { HubUnavailableError } from '../errors/HubUnavailableError';
import { HubApiClient } from '../hub/hubApiClient';
import type { IHubSyncReport } from '../services/hubGroupSync';

declare module 'fastify' {
  interface FastifyInstance {
    /** Checks JupyterHub tokens; null outside a hub. */
    hubAuthenticator: HubAuthenticator | null;
    /**
     * Runs a full sync of the hub's groups now, or joins the one already running (syncs never overlap); resolves
     * to null when it failed (the warning is logged), when another replica leads the sync, and outside a hub.
     */
    syncHubGroups(): Promise<IHubSyncReport | null>;
  }
}

/** Options of {@link hubPlugin}; tests pass a clock. */
export interface IHubPluginOptions {
  /** The clock the identity cache uses, in milliseconds. */
  now?: () => number;
}

/**
 * Hub mode (the config has a `hub` section): the hub token authenticator, and the periodic full sync of the hub's
 * groups, first when the app is ready, then every `--hub-sync-interval`, stopped with the app. A failing hub only
 * logs a warning; the next run tries again.
 */
export const hubPlugin = fp<IHubPluginOptions>(
  async (fastify, { now }) => {
    const { config, gallery } = fastify;
    const { hub } = config;
    if (!hub) {
      fastify.decorate('hubAuthenticator', null);
      fastify.decorate('syncHubGroups', async () => null);
      return;
    }
    const client = new HubApiClient({ apiUrl: hub.apiUrl, serviceToken: hub.apiToken });
    fastify.decorate(
      'hubAuthenticator',
      new HubAuthenticator({
        hub: client,
        serviceName: hub.serviceName,
        cacheTtlSeconds: config.hubCacheTtlSeconds,
        now,
        accounts: {
          hubUser: (rawName, isAdmin) => gallery.accounts.hubUser(rawName, isAdmin),
          find: username => gallery.accounts.find(username),
          syncGroups: (username, hubGroups) => gallery.hubGroups.syncUser(username, hubGroups)
        }
      })
    );
    let running: Promise<IHubSyncReport | null> | null = null;
    const sync = (): Promise<IHubSyncReport | null> => {
      // Only the replica leading the job asks the hub and applies its groups, every round; the others skip until
      // it is gone. So the hub is asked once a round however many replicas run, and a replica that read the hub
      // before another applied newer groups cannot apply its older answer after them.
      running ??= gallery
        .onlyTheLeader('hub-group-sync', async () => gallery.hubGroups.syncAll(await client.groups()))
        .then(synced => {
          if (!synced) {
            fastify.log.debug('another replica leads the hub group sync; skipped this round');
            return null;
          }
          const report = synced.value;
          fastify.log.info(
            { groups: report.groups, users: report.users },
            `synced ${report.groups} hub group(s) for ${report.users} user(s)`
          );
          if (report.skippedGroups.length > 0) {
            fastify.log.warn(
              { skipped: report.skippedGroups },
              'hub groups whose names cannot be gallery group names were left out'
            );
          }
          return report;
        })
        .catch((error: Error) => {
          const reason = error instanceof HubUnavailableError ? error.reason : error.message;
          const retry = config.hubSyncIntervalSeconds > 0 ? ` (next try in ${config.hubSyncIntervalSeconds} s)` : '';
          fastify.log.warn(`hub group sync failed${retry}: ${reason}`);
          return null;
        })
        .finally(() => {
          running = null;
        });
      return running;
    };
    fastify.decorate('syncHubGroups', sync);
    if (config.hubSyncIntervalSeconds > 0) {
      let timer: NodeJS.Timeout | undefined;
      fastify.addHook('onReady', async () => {
        void sync();
        timer = setInterval(() => void sync(), config.hubSyncIntervalSeconds * 1000);
        timer.unref();
      });
      fastify.addHook('onClose', async () => {
        clearInterval(timer);
        await running;
      });
    }
  },
  { name: 'gallery-hub', dependencies: ['gallery-db'] }
);
