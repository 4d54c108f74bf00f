import type { Locator } from 'playwright-core';

/** Pick the option whose label matches, whether the control is a native select or a radio group. */
export async function chooseOption(control: Locator, label: RegExp): Promise<void> {
  const tag = await control.evaluate(element => element.tagName);
  if (tag === 'SELECT') {
    const options = await control.locator('option').allTextContents();
    const match = options.find(text => label.test(text.trim()));
    if (!match) {
      throw new Error(`no option matching ${label} among ${JSON.stringify(options)}`);
    }
    await control.selectOption({ label: match.trim() });
    return;
  }
  await control.getByRole('radio', { name: label }).check();
}
