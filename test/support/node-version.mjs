// Preloaded with --import: this process reports $FAKE_NODE_VERSION as its Node version, as a
// build run under another Node (nvm use, a CI matrix) would.
Object.defineProperty(process, 'version', { value: process.env.FAKE_NODE_VERSION });
