import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>>['values'];

/** node:util parseArgs (strict, no positionals) whose errors become one-line usage errors (exit 2). */
export function parseCommandArgs<O extends Options>(argv: string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args: attachNegativeValues(argv, options), options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!);
  }
}

/**
 * `--max-images -3`: parseArgs takes `-3` for an option and calls the value ambiguous. A value
 * that reads as a negative number is attached (`--max-images=-3`) so the option's own check
 * can say what is wrong with it.
 */
function attachNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    const next = argv[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}
