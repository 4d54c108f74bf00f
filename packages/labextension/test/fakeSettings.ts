import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { Signal } from '@lumino/signaling';

/** The registry's settings object for our schema, with values the test can edit (edits emit `changed`). */
export function fakeSettings(values: Record<string, unknown>) {
  const changed = new Signal<unknown, void>({});
  const settings = {
    get: (key: string) => ({ composite: values[key] }),
    changed
  } as unknown as ISettingRegistry.ISettings;
  return { settings, edit: (key: string, value: unknown) => ((values[key] = value), changed.emit()) };
}
