import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

/**
 * A dialog body that sees Enter before the dialog does: JupyterLab's Dialog takes Enter in its
 * capture phase to press its default button, and the document's capture phase runs first.
 */
export abstract class EnterAwareBody extends Widget {
  handleEvent(event: Event): void {
    if (event.type !== 'keydown') {
      return;
    }
    const keydown = event as KeyboardEvent;
    const target = keydown.target as HTMLElement | null;
    if (keydown.key === 'Enter' && target && this.node.contains(target)) {
      this.onEnter(keydown, target);
    }
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    document.addEventListener('keydown', this, true);
  }

  protected onBeforeDetach(msg: Message): void {
    document.removeEventListener('keydown', this, true);
    super.onBeforeDetach(msg);
  }

  /** Enter pressed inside the body; stop its propagation to keep it from the dialog. */
  protected abstract onEnter(event: KeyboardEvent, target: HTMLElement): void;
}
