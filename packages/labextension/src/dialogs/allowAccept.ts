import type { SecretFindingsView } from '../widgets/secretFindings';

/**
 * Enable or disable the accept buttons of the dialog around `body` (none before the body is attached). The
 * dialog's own check (JupyterLab 4.1+, on `.jp-mod-error`) runs before the body sees an input event, so it would
 * judge the previous keystroke; the fields mark themselves with `aria-invalid` only, and the body decides here.
 * While possible secrets wait for a decision the buttons are off too, described by the line that says why.
 */
export function allowAccept(body: HTMLElement, allowed: boolean, secrets: SecretFindingsView): void {
  const dialog = body.closest('.jp-Dialog-content');
  for (const button of Array.from(
    dialog?.querySelectorAll<HTMLButtonElement>('.jp-Dialog-button.jp-mod-accept') ?? []
  )) {
    button.disabled = !allowed || !secrets.allowsSave;
    if (secrets.allowsSave) {
      button.removeAttribute('aria-describedby');
    } else {
      button.setAttribute('aria-describedby', secrets.reasonId);
    }
  }
}
