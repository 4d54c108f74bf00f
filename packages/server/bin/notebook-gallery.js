#!/usr/bin/env node
'use strict';
// Runs the compiled CLI; build first with `npx tsc -b packages/server`.
require('../lib/cli.js')
  .main(process.argv.slice(2))
  .then(
    code => {
      process.exitCode = code;
    },
    error => {
      console.error(error);
      process.exitCode = 1;
    }
  );
