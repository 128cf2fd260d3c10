import { cc, defineConfig } from 'kilnjs';

// A "-sys" package: builds the C library and tells dependents where its headers are.
const minicrc = cc({ name: 'minicrc', sources: ['csrc/*.c'], includes: ['include'] });

export default defineConfig({
  plugins: [minicrc],
  build(ctx) {
    ctx.emit({ type: 'include', path: 'include' });
    ctx.emit({ type: 'metadata', key: 'version', value: '1.0' });
  },
});
