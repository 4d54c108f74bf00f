import { CommandRegistry } from '@lumino/commands';
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { GalleryModel } from '../src/services/galleryModel';
import { HubConnection } from '../src/services/hubConnection';
import { GallerySidebar } from '../src/widgets/gallerySidebar';
import { FakeGallery, clientFor, trans } from './helpers';

describe('the Gallery sidebar', () => {
  it('leaves the focus in an open dialog when it is activated, so typing there goes on', () => {
    const { client } = clientFor(new FakeGallery());
    const sidebar = new GallerySidebar({
      model: new GalleryModel(client),
      hubConnection: new HubConnection(client),
      commands: new CommandRegistry(),
      trans
    });
    Widget.attach(sidebar, document.body);
    const dialog = document.createElement('dialog');
    dialog.className = 'jp-Dialog';
    const shareWith = document.createElement('input');
    dialog.append(shareWith);
    document.body.append(dialog);
    shareWith.focus();

    MessageLoop.sendMessage(sidebar, Widget.Msg.ActivateRequest);
    expect(document.activeElement).toBe(shareWith);

    dialog.remove();
    MessageLoop.sendMessage(sidebar, Widget.Msg.ActivateRequest);
    expect(sidebar.node.contains(document.activeElement)).toBe(true);
    sidebar.dispose();
  });
});
