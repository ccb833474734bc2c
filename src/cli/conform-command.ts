// `imagegen-contract conform`: certify a gateway against the contract. Exit 0 when every MUST check
// passed, 1 when one failed, 2 for bad usage or a gateway that cannot be reached at all.
import { builtInProfiles, loadProfile, ProfileError, type Profile } from '../contract/profiles.js';
import {
  CHECKS,
  checkCost,
  ConformanceOptionsError,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_IMAGES,
  DEFAULT_MAX_WAIT_MS,
  planConformance,
  runConformance,
  selectChecks,
  type ConformanceOptions,
} from '../conformance/index.js';
import { parseRate } from '../conformance/rate-pacer.js';
import { Redactor } from '../conformance/redact.js';
import { ConsoleReporter } from '../conformance/reporters/console.js';
import { parseReport, writeReports } from './report-outputs.js';
import { UsageError } from './usage-error.js';
import { parseCommandArgs } from './parse-command-args.js';
import { RunStopper } from './run-stopper.js';
import { formatDryRun } from './dry-run.js';
import { EXPECTATION_OPTIONS, EXPECTATION_USAGE, expectationOptions } from './conform-expectations.js';

const DEFAULT_TIMEOUT_SECONDS = 300;
const DEFAULT_DEADLINE_SECONDS = 1800;

/** The gateway could not be reached at all: one line, exit 2 (main.ts honours exitCode). */
export class UnreachableError extends Error {
  readonly exitCode = 2;
}

function usage(): string {
  return `usage: imagegen-contract conform --base-url URL [options]

Runs the conformance checks against an image-generation gateway.

options:
  --base-url URL          what the OpenAI SDK takes as baseURL (ends in /v1)
  --api-key KEY           API key (default: $IMAGEGEN_API_KEY); never printed or written
  --profile NAME|FILE     gateway profile: ${Object.keys(builtInProfiles()).join(', ')} or a profile file (default openai)
  --model ID              model to test against its catalogue rules (repeatable; default: the profile's)
  --header 'Name: value'  extra header on API calls, e.g. 'x-portkey-provider: openai' (repeatable)
  --no-auth               the gateway takes no key (without a key and without this, the run does not start)
  --max-images N          cap on images the run may make (default ${DEFAULT_MAX_IMAGES}); checks beyond it are skipped
  --max-cost USD          cap on what the images may cost at catalogue prices; checks beyond it, or
                          needing images of unknown price, are skipped
  --dry-run               print the plan (checks, images per model, estimated cost) and send nothing
  --concurrency N         image-making checks run at once (default ${DEFAULT_CONCURRENCY})
  --rate N/min            at most N requests a minute (N/s also taken); the gateway's
                          x-ratelimit-* headers and 429 delays pace the run in any case
  --max-wait SECONDS      longest wait for a rate limit before a check is "not run: rate limited"
                          (default ${DEFAULT_MAX_WAIT_MS / 1000}; 0 never waits)
  --require-all           exit 1 when a MUST check that applies did not run (budget, rate limit, ...)
  --timeout SECONDS       per-request timeout (default ${DEFAULT_TIMEOUT_SECONDS})
  --deadline SECONDS      deadline of the whole run (default ${DEFAULT_DEADLINE_SECONDS}); checks not finished by then
                          are skipped as "not run: deadline" and the reports are still written
  --only ID,...           run only these checks: ids, areas such as 'negative', or 'examples-only';
                          opt-in checks (timeouts) run only when named here
  --skip ID,...           leave these checks out
  --report FORMAT=PATH    write a report: json=PATH, junit=PATH, html=PATH (repeatable);
                          github: GitHub Actions annotations on stdout (or github=PATH)
${EXPECTATION_USAGE}
  --list-checks           list the checks and exit
  -h, --help              this help

exit status: 0 every MUST check that ran passed, 1 a MUST check failed (or did not run, with
--require-all), 2 bad usage, no key, or a gateway that cannot be reached, 130 interrupted.`;
}

function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

function parseHeader(raw: string): [string, string] {
  const colon = raw.indexOf(':');
  const name = colon > 0 ? raw.slice(0, colon).trim() : '';
  const value = colon > 0 ? raw.slice(colon + 1).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(value)) throw new UsageError(`--header must be 'Name: value', got '${raw.slice(0, 80)}'`);
  return [name, value];
}

function positiveInteger(name: string, raw: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`${name} must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}, got '${raw.slice(0, 40)}'`);
  return Number(raw);
}

function nonNegativeNumber(name: string, raw: string | undefined, unit: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(raw.trim())) throw new UsageError(`${name} must be a number of ${unit} >= 0, got '${raw.slice(0, 40)}'`);
  return Number(raw);
}

export async function run(argv: string[]): Promise<number> {
  const values = parseCommandArgs(argv, {
    'base-url': { type: 'string' },
    'api-key': { type: 'string' },
    profile: { type: 'string' },
    model: { type: 'string', multiple: true },
    header: { type: 'string', multiple: true },
    'max-images': { type: 'string' },
    'max-cost': { type: 'string' },
    'dry-run': { type: 'boolean' },
    concurrency: { type: 'string' },
    rate: { type: 'string' },
    'max-wait': { type: 'string' },
    'require-all': { type: 'boolean' },
    'no-auth': { type: 'boolean' },
    timeout: { type: 'string' },
    deadline: { type: 'string' },
    only: { type: 'string', multiple: true },
    skip: { type: 'string', multiple: true },
    report: { type: 'string', multiple: true },
    'list-checks': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    ...EXPECTATION_OPTIONS,
  });
  if (values.help) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (values['list-checks']) {
    for (const c of CHECKS) process.stdout.write(`${c.id.padEnd(46)} ${c.severity.padEnd(6)} ${(c.tier ?? 'contract').padEnd(8)} ${checkCost(c).padEnd(28)} ${c.optIn ? '(opt-in) ' : ''}${c.title}\n`);
    return 0;
  }
  const baseUrl = values['base-url'] as string | undefined;
  if (!baseUrl) throw new UsageError('--base-url is required (the URL the OpenAI SDK takes, ending in /v1)');
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(baseUrl);
  } catch {
    throw new UsageError(`--base-url is not a URL: '${baseUrl.slice(0, 200)}'`);
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') throw new UsageError(`--base-url must be http(s): '${baseUrl.slice(0, 200)}'`);
  const expectations = expectationOptions(values);
  let profile: Profile;
  try {
    profile = loadProfile((values.profile as string | undefined) ?? 'openai');
  } catch (error) {
    if (error instanceof ProfileError) throw new UsageError(error.message);
    throw error;
  }
  const headers = Object.fromEntries(((values.header as string[] | undefined) ?? []).map(parseHeader));
  const reports = ((values.report as string[] | undefined) ?? []).map(parseReport);
  const only = list(values.only as string[] | undefined);
  const skip = list(values.skip as string[] | undefined);
  const { unknown } = selectChecks(only, skip);
  if (unknown.length) throw new UsageError(`unknown check id or area: ${unknown.join(', ')} (see --list-checks)`);
  const maxImages = positiveInteger('--max-images', values['max-images'] as string | undefined, DEFAULT_MAX_IMAGES, 0);
  const maxCostUsd = nonNegativeNumber('--max-cost', values['max-cost'] as string | undefined, 'US dollars');
  const concurrency = positiveInteger('--concurrency', values.concurrency as string | undefined, DEFAULT_CONCURRENCY, 1, 64);
  const maxWait = nonNegativeNumber('--max-wait', values['max-wait'] as string | undefined, 'seconds');
  const rateRaw = values.rate as string | undefined;
  const rate = rateRaw === undefined ? undefined : parseRate(rateRaw);
  if (rateRaw !== undefined && !rate) throw new UsageError(`--rate must look like 20/min or 2/s (a number > 0), got '${rateRaw.slice(0, 40)}'`);
  const timeoutRaw = values.timeout as string | undefined;
  const timeoutSeconds = timeoutRaw === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(timeoutRaw);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout must be a positive number of seconds, got '${timeoutRaw}'`);
  const deadlineRaw = values.deadline as string | undefined;
  const deadlineSeconds = deadlineRaw === undefined ? DEFAULT_DEADLINE_SECONDS : Number(deadlineRaw);
  if (!Number.isFinite(deadlineSeconds) || deadlineSeconds <= 0) throw new UsageError(`--deadline must be a positive number of seconds, got '${deadlineRaw}'`);
  const apiKey = (values['api-key'] as string | undefined) || process.env.IMAGEGEN_API_KEY || undefined;
  const models = list(values.model as string[] | undefined);
  const dryRun = Boolean(values['dry-run']);
  if (!apiKey && !values['no-auth'] && !dryRun)
    throw new UsageError('no API key: pass --api-key or set IMAGEGEN_API_KEY (--no-auth for a gateway that takes none)');

  const redactor = new Redactor([apiKey]);
  redactor.addSecretHeaders(headers);
  const options: ConformanceOptions = {
    baseUrl,
    ...(apiKey ? { apiKey } : {}),
    profile,
    models,
    headers,
    maxImages,
    ...(maxCostUsd !== undefined ? { maxCostUsd } : {}),
    concurrency,
    ...(rate ? { rate } : {}),
    ...(maxWait !== undefined ? { maxRetryWaitMs: Math.round(maxWait * 1000) } : {}),
    ...(values['require-all'] ? { requireAll: true } : {}),
    timeoutMs: Math.round(timeoutSeconds * 1000),
    deadlineMs: Math.round(deadlineSeconds * 1000),
    only,
    skip,
    ...expectations,
  };
  if (dryRun) {
    let planned;
    try {
      planned = await planConformance(options);
    } catch (error) {
      if (error instanceof ConformanceOptionsError) throw new UsageError(error.message);
      throw error;
    }
    process.stdout.write(redactor.redact(formatDryRun(planned)));
    return 0;
  }
  const stopper = new RunStopper(process, (line) => process.stderr.write(`imagegen-contract: ${line}\n`));
  const reporter = new ConsoleReporter(stopper.stdout, redactor);
  let report;
  try {
    report = await runConformance({ ...options, signal: stopper.signal, onEvent: reporter.onEvent });
  } catch (error) {
    if (error instanceof ConformanceOptionsError) throw new UsageError(error.message);
    throw error;
  } finally {
    stopper.release();
  }
  writeReports(reports, report, redactor);
  if (report.unreachable) throw new UnreachableError(redactor.redact(report.unreachable));
  reporter.finish(report);
  return stopper.exitCode ?? report.exitCode;
}
