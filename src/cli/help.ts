/**
 * `kiln --help`, printed without loading yargs (which costs ~70 ms to import). A test checks it
 * against what yargs prints for the full command line (cli.ts), so the two cannot drift apart.
 */
export const HELP_TEXT = `kiln <command> [options]

Native build scripts for npm packages.

Commands:
  kiln build       Run build.config.ts (or report it Fresh)
  kiln print       Render the link manifest for a consumer
  kiln clean       Remove the outputs Kiln created (never folders without its marker)
  kiln doctor      Report the tools Kiln finds and how to fix what is missing
  kiln init        Write a starter build.config.ts
  kiln install     For the npm install script: use a matching prebuild, else build from source
                   (Release)
  kiln pkg-config  A drop-in pkg-config (takes pkg-config flags: --cflags, --libs, --modversion,
                   ...)

Options:
      --cwd      Package directory (default: the current directory)                         [string]
      --json     Print events as JSON lines                                                [boolean]
  -v, --verbose  Show commands and full diagnostics                                        [boolean]
  -q, --quiet    Only warnings and errors                                                  [boolean]
      --version  Show version number                                                       [boolean]
  -h, --help     Show help                                                                 [boolean]
`;
