import { ILayoutRestorer, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { GalleryClient } from './client';
import { CommandIDs, addCommands } from './commands';
import { GalleryModel } from './galleryModel';
import { GallerySidebar } from './gallerySidebar';
import { IGalleryClient, IGalleryModel } from './tokens';

export { CommandIDs } from './commands';
export { GalleryError } from './galleryError';
export { IGalleryClient, IGalleryModel } from './tokens';
export type { GalleryStatus } from './tokens';

/** Holds the settings schema (schema/plugin.json), so its id is the settings' id. */
const PLUGIN_ID = 'jupyterlab-notebook-gallery:plugin';

/** Provides the gallery client, pointed at the server URL from the settings. */
const clientPlugin: JupyterFrontEndPlugin<IGalleryClient> = {
  id: 'jupyterlab-notebook-gallery:client',
  description: 'Calls the Notebook Gallery server with the user’s token.',
  autoStart: true,
  requires: [ISettingRegistry],
  optional: [ITranslator],
  provides: IGalleryClient,
  activate: async (
    _app: JupyterFrontEnd,
    settingRegistry: ISettingRegistry,
    translator: ITranslator | null
  ): Promise<IGalleryClient> => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_notebook_gallery');
    const client = new GalleryClient({ serverUrl: Private.DEFAULT_SERVER_URL, trans });
    try {
      const settings = await settingRegistry.load(PLUGIN_ID);
      const apply = (): void => {
        client.serverUrl = Private.stringSetting(settings, 'serverUrl', Private.DEFAULT_SERVER_URL);
      };
      apply();
      settings.changed.connect(apply);
    } catch (reason) {
      console.error(`Notebook Gallery: settings could not be loaded; using ${client.serverUrl}.`, reason);
    }
    return client;
  }
};

/** The Gallery sidebar, the save/open commands and their menu, toolbar and palette entries. */
const galleryPlugin: JupyterFrontEndPlugin<IGalleryModel> = {
  id: PLUGIN_ID,
  description: 'Save notebooks to the Notebook Gallery and open copies from its sidebar.',
  autoStart: true,
  requires: [IGalleryClient, ISettingRegistry, INotebookTracker, IDocumentManager],
  optional: [ITranslator, ICommandPalette, ILayoutRestorer],
  provides: IGalleryModel,
  activate: (
    app: JupyterFrontEnd,
    client: IGalleryClient,
    settingRegistry: ISettingRegistry,
    tracker: INotebookTracker,
    docManager: IDocumentManager,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null
  ): IGalleryModel => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_notebook_gallery');
    const model = new GalleryModel(client);
    const sidebar = new GallerySidebar({ model, commands: app.commands, trans });
    app.shell.add(sidebar, 'left', { rank: 850 });
    restorer?.add(sidebar, GallerySidebar.ID);

    let folder = Private.DEFAULT_FOLDER;
    settingRegistry
      .load(PLUGIN_ID)
      .then(settings => {
        const apply = (): void => {
          // Blank is allowed here: it puts copies at the Jupyter root.
          const value = settings.get('folder').composite;
          folder = typeof value === 'string' ? value.trim() : Private.DEFAULT_FOLDER;
        };
        apply();
        settings.changed.connect(apply);
      })
      .catch(reason => {
        console.error(`Notebook Gallery: settings could not be loaded; copies go to “${folder}”.`, reason);
      });

    addCommands({ app, client, model, sidebar, tracker, docManager, trans, folder: () => folder });
    if (palette) {
      const category = trans.__('Notebook Gallery');
      for (const command of Object.values(CommandIDs)) {
        palette.addItem({ command, category });
      }
    }

    void model.refresh();
    return model;
  }
};

export default [clientPlugin, galleryPlugin];

namespace Private {
  export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8765';
  export const DEFAULT_FOLDER = 'gallery';

  /** A string setting, falling back when it is blank so a cleared field never breaks the client. */
  export function stringSetting(settings: ISettingRegistry.ISettings, key: string, fallback: string): string {
    const value = settings.get(key).composite;
    return typeof value === 'string' && value.trim() ? value.trim() : fallback;
  }
}
