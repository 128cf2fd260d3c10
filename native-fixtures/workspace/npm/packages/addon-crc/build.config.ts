import { addon, defineConfig } from 'kilnjs';

export default defineConfig({
  async build(ctx) {
    // The -sys package's manifest: its static library, search path and include dir.
    const sys = ctx.deps['@ws/mini-sys'];
    if (!sys) throw new Error('@ws/mini-sys must be built first');
    await ctx.use(addon({ name: 'crc', sources: ['src/addon.c'], link: [sys] }));
  },
});
