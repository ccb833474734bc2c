#!/usr/bin/env node
// imagegen-contract <command>: dispatches to one module per command. Usage errors exit 2 with one
// line on stderr, never a stack trace.
import { BROKEN_PIPE_EXIT } from './run-stopper.js';
import { UsageError } from './usage-error.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  mock: { summary: 'start the mock image gateway', load: () => import('./mock-command.js') },
  conform: { summary: 'certify a gateway against the contract', load: () => import('./conform-command.js') },
  proxy: { summary: 'validation proxy: report contract violations in live traffic', load: () => import('./proxy-command.js') },
};

function help(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return `usage: imagegen-contract <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'imagegen-contract <command> --help' for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command '${name}' (expected one of: ${Object.keys(COMMANDS).join(', ')})`);
  return (await command.load()).run(rest);
}

// `imagegen-contract conform --list-checks | head`: a reader that goes away ends the output, not a stack trace.
// A command that watches stdout itself (a conform run stops and still writes its reports) handles it.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    if (stream.listenerCount('error') > 1) return;
    process.exit(process.exitCode ?? BROKEN_PIPE_EXIT);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`imagegen-contract: ${message.split('\n')[0]}\n`);
    process.exitCode = error instanceof UsageError || (error as { exitCode?: number })?.exitCode === 2 ? 2 : 1;
  },
);
