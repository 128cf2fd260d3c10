import { cc, defineConfig } from 'kilnjs';

export default defineConfig({
  plugins: [cc({ name: 'hello', sources: ['csrc/hello.c'], includes: ['include'] })],
  build(ctx) {
    ctx.emit({ type: 'include', path: 'include' });
  },
});
