import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

/**
 * A dialog body that sees Enter before the dialog does: JupyterLab's Dialog takes Enter in its
 * capture phase to press its default button, and the document's capture phase runs first.
 * It also keeps Tab inside the dialog while its last button is disabled: the dialog wraps Tab
 * only from that button, so from the one before it focus would leave and be pulled back to the first field,
 * never reaching the body's controls above it.
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
    } else if (keydown.key === 'Tab' && !keydown.shiftKey && target) {
      this._wrapTab(keydown, target);
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

  /** Tab on the last enabled button of this body's dialog, with disabled ones after it: go to the body's first control. */
  private _wrapTab(event: KeyboardEvent, target: HTMLElement): void {
    const dialog = this.node.closest('.jp-Dialog-content');
    const buttons = Array.from(dialog?.querySelectorAll<HTMLButtonElement>('.jp-Dialog-footer button') ?? []);
    const enabled = buttons.filter(button => !button.disabled);
    if (enabled.length === buttons.length || enabled[enabled.length - 1] !== target) {
      return;
    }
    const first = this.node.querySelector<HTMLElement>(
      'button:not([disabled]), input:not([disabled]), select, textarea'
    );
    if (first) {
      event.preventDefault();
      event.stopPropagation();
      first.focus();
    }
  }
}
