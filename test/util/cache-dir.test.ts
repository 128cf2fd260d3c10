import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { userCacheDir } from '../../src/util/cache-dir.js';

describe('userCacheDir', () => {
  it.runIf(process.platform === 'linux')(
    'KILN_CACHE_DIR wins, then an absolute XDG_CACHE_HOME, then ~/.cache',
    () => {
      expect(userCacheDir({ KILN_CACHE_DIR: '/x/my cache', XDG_CACHE_HOME: '/xdg' })).toBe(
        '/x/my cache',
      );
      expect(userCacheDir({ KILN_CACHE_DIR: 'rel' })).toBe(path.resolve('rel'));
      expect(userCacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/kiln');
      // The XDG spec: a relative value is ignored.
      expect(userCacheDir({ XDG_CACHE_HOME: 'relative' })).toBe(
        path.join(os.homedir(), '.cache', 'kiln'),
      );
      expect(userCacheDir({ KILN_CACHE_DIR: '' })).toBe(path.join(os.homedir(), '.cache', 'kiln'));
    },
  );
});
