import { addon, defineConfig } from 'kilnjs';

export default defineConfig({
  async build(ctx) {
    const sys = ctx.deps['hello-sys'];
    if (!sys) throw new Error('hello-sys must be built first');
    await ctx.use(addon({ name: 'hello', sources: ['src/addon.c'], link: [sys] }));
  },
});
