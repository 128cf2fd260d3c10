import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'kilnjs';

// Exports metadata only: a generated header and a greeting dependents may read.
export default defineConfig({
  build(ctx) {
    const greeting = ctx.env.WS_GREETING ?? 'hello from meta';
    const dir = path.join(ctx.outDir, 'include');
    mkdirSync(dir, { recursive: true });
    const header = path.join(dir, 'ws_meta.h');
    writeFileSync(header, `#define WS_GREETING ${JSON.stringify(greeting)}\n`);
    ctx.addArtifact({ kind: 'file', path: header });
    ctx.emit({ type: 'include', path: dir });
    ctx.emit({ type: 'metadata', key: 'greeting', value: greeting });
  },
});
