/**
 * The commands the full parser (`cli.ts`) runs besides `build`, behind one module: bundled,
 * the code they share with the build is then cut into fewer chunks (each ES module costs Node
 * ~1 ms to load). Their everyday forms run from bundles of their own (`quick-commands.ts`).
 */
export { cleanCommand } from './clean.js';
export { doctorCommand } from './doctor.js';
export { initCommand } from './init.js';
export { installCommand } from './install.js';
export { printCommand, printWorkspaces } from './print.js';
