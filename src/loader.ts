/**
 * `kilnjs/loader`: what a package needs at run time to load the addon Kiln built, and nothing
 * else. It imports only Node built-ins, so `import { loadAddon } from 'kilnjs/loader'` costs
 * a few milliseconds, not the build tool.
 */
export { type LoadAddonOptions, loadAddon } from './plugins/addon/loader.js';
