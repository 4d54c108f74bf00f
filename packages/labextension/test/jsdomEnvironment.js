/**
 * jsdom as jest 29 ships it lacks structuredClone, which browsers (and core's validator) have, and
 * DragEvent, which @lumino/dragdrop (under @lumino/widgets) extends when it is imported, and
 * matchMedia, which JupyterLab's web components query for the colour scheme when they load.
 */
const { TestEnvironment } = require('jest-environment-jsdom');

class JsdomWithStructuredClone extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.structuredClone = structuredClone;
    if (this.global.DragEvent === undefined) {
      this.global.DragEvent = class DragEvent extends this.global.MouseEvent {};
    }
    if (this.global.matchMedia === undefined) {
      const EventTarget = this.global.EventTarget;
      this.global.matchMedia = media =>
        Object.assign(new EventTarget(), {
          media,
          matches: false,
          onchange: null,
          addListener: () => undefined,
          removeListener: () => undefined
        });
    }
  }
}

module.exports = JsdomWithStructuredClone;
