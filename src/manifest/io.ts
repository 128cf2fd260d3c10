import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KilnError } from '../errors.js';
import { writeFileAtomic } from '../state/index.js';
import { isManifest, MANIFEST_SCHEMA_VERSION, type Manifest, manifestSchema } from './schema.js';

export const MANIFEST_FILE = 'manifest.json';

export function manifestPathFor(outDir: string): string {
  return path.join(outDir, MANIFEST_FILE);
}

/** Reads and validates a manifest file; a missing or malformed file is a KilnError. */
export async function readManifestFile(file: string): Promise<Manifest> {
  let text: string;
  try {
    // Sync on purpose: a manifest is a few kB, and a fresh workspace reads hundreds of them, where
    // the promise API's open/fstat/read/close round trips cost more than the read.
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new KilnError('MANIFEST_NOT_FOUND', `No link manifest at ${file}`, {
        hint: 'Run `kiln build` (with the same --target and --profile) first.',
      });
    }
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new KilnError(
      'MANIFEST_INVALID',
      `${file} is not valid JSON: ${(error as Error).message}`,
      {
        hint: 'Delete it and run `kiln build` again.',
      },
    );
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > MANIFEST_SCHEMA_VERSION) {
    throw new KilnError(
      'MANIFEST_INVALID',
      `${file} has schemaVersion ${version}; this Kiln reads version ${MANIFEST_SCHEMA_VERSION}`,
      { hint: 'Upgrade kilnjs, or rebuild with this version.' },
    );
  }
  if (isManifest(data)) return data;
  const parsed = manifestSchema().safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KilnError(
      'MANIFEST_INVALID',
      `${file} is not a valid link manifest: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
      { hint: 'Delete it and run `kiln build` again.' },
    );
  }
  return parsed.data;
}

export async function writeManifestFile(file: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(manifest, null, 2)}\n`);
}
