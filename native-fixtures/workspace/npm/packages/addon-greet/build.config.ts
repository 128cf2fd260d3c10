import { addon, defineConfig } from 'kilnjs';

export default defineConfig({
  async build(ctx) {
    const meta = ctx.deps['@ws/meta'];
    const sys = ctx.deps['@ws/mini-sys'];
    if (!meta || !sys) throw new Error('@ws/meta and @ws/mini-sys must be built first');
    ctx.emit({ type: 'metadata', key: 'greeting', value: meta.metadata.greeting ?? '' });
    await ctx.use(addon({ name: 'greet', sources: ['src/addon.c'], link: [meta, sys] }));
  },
});
