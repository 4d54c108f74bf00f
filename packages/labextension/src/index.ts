import { ILayoutRestorer, IRouter, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { addCommands } from './commands/addCommands';
import { addCommentCommands } from './commands/commentCommands';
import { followCopies } from './commands/followCopies';
import { errorReport } from './commands/errorReport';
import { addHistoryCommands } from './commands/historyCommands';
import { addLinkCommands } from './commands/linkCommands';
import { connectClient } from './services/connectClient';
import { ConfirmedSecrets } from './services/confirmedSecrets';
import { CopyRegistry } from './services/copyRegistry';
import { CopyUpdates } from './services/copyUpdates';
import { GalleryModel } from './services/galleryModel';
import { HealthReporter } from './services/healthReporter';
import { HubConnection } from './services/hubConnection';
import { InboxModel } from './services/inboxModel';
import { readHubEnvironment, type IHubEnvironment } from './services/hubEnvironment';
import { GallerySettings } from './services/settings';
import { CommandIDs, IGalleryClient, IGalleryModel, IGallerySettings } from './tokens';
import { GallerySidebar } from './widgets/gallerySidebar';

export { GalleryError } from './galleryError';
export type { IAuthSession, IAuthStrategy } from './tokens';
export { CommandIDs, IGalleryClient, IGalleryModel, IGallerySettings } from './tokens';
export type { GalleryStatus } from './tokens';

/** Holds the settings schema (schema/plugin.json), so its id is the settings' id. */
const PLUGIN_ID = 'jupyterlab-notebook-gallery:plugin';

/** Loads the settings once for every other plugin, and follows the user's edits. */
const settingsPlugin: JupyterFrontEndPlugin<IGallerySettings> = {
  id: 'jupyterlab-notebook-gallery:settings',
  description: 'Reads the Notebook Gallery settings: server URL and the folder for opened copies.',
  autoStart: true,
  requires: [ISettingRegistry],
  provides: IGallerySettings,
  activate: async (_app: JupyterFrontEnd, settingRegistry: ISettingRegistry): Promise<IGallerySettings> => {
    const settings = new GallerySettings({ hub: Private.hub() });
    try {
      settings.follow(await settingRegistry.load(PLUGIN_ID));
    } catch (reason) {
      console.error(
        `Notebook Gallery: settings could not be loaded; using ${settings.serverUrl} and the folder “${settings.folder}”.`,
        reason
      );
    }
    return settings;
  }
};

/**
 * Provides the gallery client, pointed at the server URL from the settings; inside JupyterHub it
 * logs in with the page's hub token.
 */
const clientPlugin: JupyterFrontEndPlugin<IGalleryClient> = {
  id: 'jupyterlab-notebook-gallery:client',
  description: 'Calls the Notebook Gallery server with the user’s token.',
  autoStart: true,
  requires: [IGallerySettings],
  optional: [ITranslator],
  provides: IGalleryClient,
  activate: (_app: JupyterFrontEnd, settings: IGallerySettings, translator: ITranslator | null): IGalleryClient => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_notebook_gallery');
    return connectClient({ settings, hub: Private.hub(), trans });
  }
};

/** The Gallery sidebar, the save/open commands and their menu, toolbar and palette entries. */
const galleryPlugin: JupyterFrontEndPlugin<IGalleryModel> = {
  id: PLUGIN_ID,
  description: 'Save notebooks to the Notebook Gallery and open copies from its sidebar.',
  autoStart: true,
  requires: [IGalleryClient, IGallerySettings, INotebookTracker, IDocumentManager, IRenderMimeRegistry],
  optional: [ITranslator, ICommandPalette, ILayoutRestorer, IRouter],
  provides: IGalleryModel,
  activate: (
    app: JupyterFrontEnd,
    client: IGalleryClient,
    settings: IGallerySettings,
    tracker: INotebookTracker,
    docManager: IDocumentManager,
    rendermime: IRenderMimeRegistry,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    router: IRouter | null
  ): IGalleryModel => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_notebook_gallery');
    const model = new GalleryModel(client);
    const hubConnection = new HubConnection(client);
    // Copies that follow updates: the copies known, and which of them are behind the gallery.
    const registry = new CopyRegistry({ scope: PageConfig.getBaseUrl() });
    const updates = new CopyUpdates(client, registry);
    const localCopies = (id: string): readonly string[] =>
      registry.copiesOf(id, client.serverUrl).map(copy => copy.path);
    const inbox = new InboxModel(client);
    const sidebar = new GallerySidebar({
      model,
      inbox,
      hubConnection,
      commands: app.commands,
      trans,
      updates,
      rendermime,
      localCopies
    });
    app.shell.add(sidebar, 'left', { rank: 850 });
    restorer?.add(sidebar, GallerySidebar.ID);

    // What the user marked "Not a secret", so the next save of that notebook does not ask again.
    const confirmed = new ConfirmedSecrets({ scope: PageConfig.getBaseUrl() });
    addCommands({ app, client, model, sidebar, settings, tracker, docManager, trans, registry, updates, confirmed });
    followCopies({
      client,
      model,
      settings,
      tracker,
      contents: app.serviceManager.contents,
      registry,
      updates,
      trans,
      sidebar
    });
    addHistoryCommands({
      app,
      client,
      model,
      tracker,
      trans,
      errors: errorReport(app, client, sidebar, trans),
      changeRequests: sidebar.changeRequests,
      localCopies,
      confirmed
    });
    // Copy Link, Open in Browser, and links from the gallery's pages back into JupyterLab (?gallery=…).
    addLinkCommands({
      app,
      router,
      client,
      model,
      hubConnection,
      settings,
      tracker,
      docManager,
      registry,
      sidebar,
      trans
    });
    addCommentCommands({ app, client, tracker, trans, rendermime, restorer, inbox, sidebar });
    if (palette) {
      const category = trans.__('Notebook Gallery');
      for (const command of Object.values(CommandIDs)) {
        palette.addItem({ command, category });
      }
    }

    // Opt-in (setting reportHealth): which cells of notebooks opened from the gallery ran without error.
    new HealthReporter({ client, settings, executed: NotebookActions.executed });

    void model.refresh();
    void hubConnection.connect();
    return model;
  }
};

export default [settingsPlugin, clientPlugin, galleryPlugin];

namespace Private {
  let hubEnvironment: IHubEnvironment | null | undefined;

  /** The hub this JupyterLab runs in (null outside one), read from the page config once. */
  export function hub(): IHubEnvironment | null {
    if (hubEnvironment === undefined) {
      hubEnvironment = readHubEnvironment(PageConfig);
    }
    return hubEnvironment;
  }
}
