import type { Element, IRenderLibraries } from './render/renderLibraries';

/** Dates as pages print them: the same text for every reader and every server, in UTC ("6 Dec 2026, 21:35 UTC"). */
const FORMAT = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** An ISO timestamp as a page prints it; a `<time datetime>` beside it keeps the exact instant. */
export function pageDate(iso: string): string {
  return `${FORMAT.format(new Date(iso))} UTC`;
}

/** An ISO timestamp as pages show it: {@link pageDate}'s text in a `<time datetime>` that keeps the exact instant. */
export function pageTime(h: IRenderLibraries['h'], iso: string): Element {
  return h('time', { dateTime: iso }, pageDate(iso));
}
