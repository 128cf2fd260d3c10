#!/usr/bin/env node
// CommonJS (bin/package.json): Node then starts without its ES module loader. See src/cli/entry.ts.
'use strict';

require('../dist/cli/entry.cjs')
  .run(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`kiln: internal error: ${error?.stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
