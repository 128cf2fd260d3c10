/** What a build reports as it goes; the CLI renders these for people or as JSON lines. */
export type BuildEvent =
  | { type: 'start'; package: string; target: string; profile: string; outDir: string }
  | { type: 'fresh'; package: string }
  | { type: 'dirty'; package: string; reason: string }
  | { type: 'waiting'; package: string; message: string }
  | { type: 'plugin-start'; package: string; plugin: string }
  | { type: 'plugin-end'; package: string; plugin: string; durationMs: number; ok?: false }
  | {
      type: 'progress';
      package: string;
      n: number;
      total: number;
      step: string;
      what: string;
      /** Started in a job slot (`ctx.withJobs`): a `progress-end` with the same `n` follows. */
      job?: true;
    }
  /** The job that started as step `n` finished (or failed). */
  | { type: 'progress-end'; package: string; n: number }
  | { type: 'exec'; package: string; command: string; file: string; args: string[] }
  | { type: 'log'; package: string; level: 'info' | 'warn' | 'debug'; message: string }
  | {
      type: 'warning';
      package: string;
      message: string;
      /** The step whose compiles printed it (`cc:core`, `addon:binding`). */
      step?: string | undefined;
      /** How many sources printed this same compiler warning. */
      count?: number | undefined;
      /** `message` with the compiler's colours (only when stderr is a terminal; not in `--json`). */
      color?: string | undefined;
    }
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
      /** The plugin whose run failed, when the error came out of one. */
      plugin?: string | undefined;
    }
  | { type: 'skipped'; package: string; reason: string };

export type EventSink = (event: BuildEvent) => void;
