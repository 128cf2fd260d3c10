// Runs a package's mocha-style test file (global it/describe, `this.timeout()`) on node:test,
// so a fetched package's own tests run without installing mocha.
const t = require('node:test');

const context = { timeout() {}, slow() {}, retries() {} };
const wrap = (fn) =>
  fn.length > 0
    ? () =>
        new Promise((resolve, reject) => {
          fn.call(context, (error) => (error ? reject(error) : resolve()));
        })
    : () => fn.call(context);

globalThis.it = (name, fn) => t.it(name, wrap(fn));
globalThis.describe = (name, fn) => t.describe(name, () => fn.call(context));
globalThis.before = (fn) => t.before(wrap(fn));
globalThis.after = (fn) => t.after(wrap(fn));
