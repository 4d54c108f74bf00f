/** jsdom as jest 29 ships it lacks structuredClone, which browsers (and core's validator) have. */
const { TestEnvironment } = require('jest-environment-jsdom');

class JsdomWithStructuredClone extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.structuredClone = structuredClone;
  }
}

module.exports = JsdomWithStructuredClone;
