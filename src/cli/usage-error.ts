/** Bad command-line usage: reported as one line, exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}
