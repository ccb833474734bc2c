// The `conform` options about what is expected of the gateway (issue 7): --strict (the fidelity tier
// is MUST), --catalogue FILE (models the built-in catalogue does not know), --trigger kind=TRIGGER
// (errors only the owner can provoke) and --wait-url-expiry. Kept apart so the command only hooks them in.
import { ConfigFileError } from '../contract/config-file.js';
import { useCatalogueFile } from '../contract/user-catalogue.js';
import { TRIGGER_KINDS, type ConformanceOptions, type TriggerKind } from '../conformance/types.js';
import { UsageError } from './usage-error.js';

export const EXPECTATION_OPTIONS = {
  strict: { type: 'boolean' },
  catalogue: { type: 'string' },
  trigger: { type: 'string', multiple: true },
  'wait-url-expiry': { type: 'boolean' },
} as const;

export const EXPECTATION_USAGE = `  --strict                exact OpenAI parity: the fidelity tier (OpenAI's exact codes, params, types) is MUST
  --catalogue FILE        a model catalogue (openapi/models.yaml format) adding or overriding models
  --trigger KIND=TRIGGER  make the gateway refuse on purpose, for the opt-in error checks; KIND is
                          ${TRIGGER_KINDS.join(', ')}; TRIGGER a prompt text, or 'Header-Name: value' to send
  --wait-url-expiry       wait for image URLs to expire (the profile's urlTtlSeconds + a tenth, at most 30 s more) and check they do`;

/** Applies --catalogue (before the profile is loaded: it may name the file's models) and returns the run options. */
export function expectationOptions(values: Record<string, unknown>): Pick<ConformanceOptions, 'strict' | 'triggers' | 'waitUrlExpiry'> {
  const catalogue = values.catalogue as string | undefined;
  if (catalogue) {
    try {
      useCatalogueFile(catalogue);
    } catch (error) {
      if (error instanceof ConfigFileError) throw new UsageError(error.message);
      throw error;
    }
  }
  const triggers: Partial<Record<TriggerKind, string>> = {};
  for (const raw of (values.trigger as string[] | undefined) ?? []) {
    const eq = raw.indexOf('=');
    const kind = raw.slice(0, Math.max(0, eq)) as TriggerKind;
    const trigger = raw.slice(eq + 1);
    if (eq < 1 || !TRIGGER_KINDS.includes(kind) || !trigger.trim() || /[\r\n\0]/.test(trigger))
      throw new UsageError(`--trigger must be KIND=TRIGGER with KIND one of ${TRIGGER_KINDS.join(', ')}, got '${raw.slice(0, 80)}'`);
    triggers[kind] = trigger;
  }
  return {
    ...(values.strict ? { strict: true } : {}),
    ...(Object.keys(triggers).length ? { triggers } : {}),
    ...(values['wait-url-expiry'] ? { waitUrlExpiry: true } : {}),
  };
}
