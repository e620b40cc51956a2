/** What every command module exports. */
export interface Command {
  /** One line for `hadispatch --help`. */
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  /** Runs the command; resolves to the exit status (0 ok, 1 user error). Throws UsageError for bad usage. */
  run(argv: readonly string[]): Promise<number>;
}
