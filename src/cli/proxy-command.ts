// `imagegen-contract proxy --upstream URL`: a validation proxy that reports contract violations in
// live traffic from any client (point the client's base URL at the printed address).
import { startProxy } from '../proxy/index.js';
import { violationLine } from '../proxy/violation-log.js';
import { UsageError } from './usage-error.js';
import { parseCommandArgs } from './parse-command-args.js';

const HELP = `usage: imagegen-contract proxy --upstream URL [--port 4011] [--host 127.0.0.1]

Forwards every request to URL (a base URL ending in /v1) and prints one line per contract
violation it sees (status not declared, error envelope broken, body not matching the spec, client
errors answered 5xx, missing x-request-id, malformed stream events). Buffered JSON answers also
carry an x-contract-violations header.`;

export async function run(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, {
    upstream: { type: 'string' },
    port: { type: 'string', default: '4011' },
    host: { type: 'string', default: '127.0.0.1' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  if (!values.upstream) throw new UsageError('--upstream URL is required');
  let upstream: URL;
  try {
    upstream = new URL(values.upstream);
  } catch {
    throw new UsageError(`--upstream is not a URL: ${values.upstream}`);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got ${values.port}`);
  const proxy = await startProxy({
    upstream: upstream.href,
    port,
    host: values.host,
    // Messages are already redacted; the upstream's text is made terminal-safe (no escapes, no CR).
    onViolation: (v) => process.stdout.write(`${violationLine(v)}\n`),
  });
  process.stdout.write(`imagegen-contract proxy: ${proxy.url} -> ${upstream.href}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await proxy.close();
  process.stdout.write(`${proxy.violationCount} violation(s) seen\n`);
  return 0;
}
