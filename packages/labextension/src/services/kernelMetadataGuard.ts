import type { INotebook } from '@notebook-gallery/core';
import type { INotebookModel } from '@jupyterlab/notebook';
import type { IChangedArgs } from '@jupyterlab/coreutils';
import type { ISignal } from '@lumino/signaling';
import { visibleContent } from './copyComparison';

/** The parts of a notebook's document context the guard follows. */
export interface IGuardedDocument {
  readonly model: INotebookModel;
  readonly ready: Promise<void>;
  /** Emitted after the file was saved or reloaded. */
  readonly fileChanged: ISignal<unknown, unknown>;
  readonly isDisposed: boolean;
}

/**
 * Keep a gallery copy from looking modified because its kernel started. When a kernel connects, JupyterLab writes
 * the kernel's `language_info` (and `kernelspec`) into the notebook's metadata, which marks the tab as having
 * unsaved changes although the user changed nothing: a fresh copy opened from the gallery showed a modified tab at
 * once whenever the gallery's metadata said less than the kernel (the bundled examples only name the language).
 * While the notebook differs from its file only in that metadata, it is not modified.
 */
export function ignoreKernelMetadata(document: IGuardedDocument): void {
  let saved: string | null = null;
  const snapshot = (): void => {
    saved = visibleContent(document.model.toJSON() as unknown as INotebook);
  };
  const settle = (): void => {
    const { model } = document;
    if (
      saved !== null &&
      !document.isDisposed &&
      model.dirty &&
      visibleContent(model.toJSON() as unknown as INotebook) === saved
    ) {
      model.dirty = false;
    }
  };
  const onStateChanged = (_model: unknown, change: IChangedArgs<unknown, unknown, string>): void => {
    if (change.name === 'dirty' && change.newValue === true) {
      settle();
    }
  };
  void document.ready.then(() => {
    if (document.isDisposed) {
      return;
    }
    snapshot();
    document.fileChanged.connect(snapshot);
    document.model.stateChanged.connect(onStateChanged);
    settle();
  });
}
