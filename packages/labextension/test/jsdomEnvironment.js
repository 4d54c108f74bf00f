/**
 * jsdom as jest 29 ships it lacks structuredClone, which browsers (and core's validator) have, and
 * DragEvent, which @lumino/dragdrop (under @lumino/widgets) extends when it is imported.
 */
const { TestEnvironment } = require('jest-environment-jsdom');

class JsdomWithStructuredClone extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.structuredClone = structuredClone;
    if (this.global.DragEvent === undefined) {
      this.global.DragEvent = class DragEvent extends this.global.MouseEvent {};
    }
  }
}

module.exports = JsdomWithStructuredClone;
