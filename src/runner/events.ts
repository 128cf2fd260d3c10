/** What a build reports as it goes; the CLI renders these for people or as JSON lines. */
export type BuildEvent =
  | { type: 'start'; package: string; target: string; profile: string; outDir: string }
  | { type: 'fresh'; package: string }
  | { type: 'dirty'; package: string; reason: string }
  | { type: 'waiting'; package: string; message: string }
  | { type: 'plugin-start'; package: string; plugin: string }
  | { type: 'plugin-end'; package: string; plugin: string; durationMs: number; ok?: false }
  | { type: 'progress'; package: string; n: number; total: number; step: string; what: string }
  | { type: 'exec'; package: string; command: string; file: string; args: string[] }
  | { type: 'log'; package: string; level: 'info' | 'warn' | 'debug'; message: string }
  | { type: 'warning'; package: string; message: string }
  /** A compiler cache's hits and misses across one compile step (`overlapped`: shared counters). */
  | {
      type: 'cache';
      package: string;
      step: string;
      wrapper: string;
      hits: number;
      misses: number;
      overlapped: boolean;
    }
  | { type: 'done'; package: string; fresh: boolean; durationMs: number; manifest: string }
  | {
      type: 'error';
      package: string;
      code: string;
      message: string;
      hint?: string | undefined;
      details?: string | undefined;
      command?: string | undefined;
    }
  | { type: 'skipped'; package: string; reason: string };

export type EventSink = (event: BuildEvent) => void;
