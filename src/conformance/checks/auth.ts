// Authentication (free): no key and a wrong key are 401 with the error envelope.
import { judgeClientError } from '../assert.js';
import type { RunContext } from '../context.js';
import { PROMPT } from '../generations.js';
import type { Exchange } from '../http.js';
import type { CheckDef } from '../types.js';
import { servesCreateImage, wrongKeyApplies } from './applicability.js';

export const WRONG_KEY = 'sk-imagegen-contract-wrong-key-0000000000';

export function missingKeyExchange(ctx: RunContext): Promise<Exchange> {
  return ctx.memo('auth:missing', () =>
    ctx.send({
      method: 'POST',
      url: ctx.operationUrl('createImage'),
      auth: 'none',
      body: { kind: 'json', value: { model: ctx.primary.name, prompt: PROMPT, n: 1 } },
      label: 'no API key',
    }),
  );
}

export function wrongKeyExchange(ctx: RunContext): Promise<Exchange> {
  return ctx.memo('auth:wrong', () =>
    ctx.send({
      method: 'POST',
      url: ctx.operationUrl('createImage'),
      auth: { bearer: WRONG_KEY },
      body: { kind: 'json', value: { model: ctx.primary.name, prompt: PROMPT, n: 1 } },
      label: 'wrong API key',
    }),
  );
}

export const authChecks: CheckDef[] = [
  {
    id: 'auth.missing-key',
    title: 'A request without an API key is a 401 with the error envelope',
    severity: 'MUST',
    rule: 'spec: security bearerAuth, 401 Unauthorized (x-error missing_api_key); facts §6.8',
    scope: 'run',
    uses: [],
    examplesOnly: true,
    appliesTo: servesCreateImage,
    async run(ctx) {
      return judgeClientError(await missingKeyExchange(ctx), ctx, { statuses: [401], what: 'no Authorization header' });
    },
  },
  {
    id: 'auth.wrong-key',
    title: 'A wrong API key is a 401 (a gateway that accepts any key fails)',
    severity: 'MUST',
    rule: 'spec: 401 Unauthorized (x-error invalid_api_key); facts §6.8',
    scope: 'run',
    uses: [],
    appliesTo: wrongKeyApplies,
    async run(ctx) {
      return judgeClientError(await wrongKeyExchange(ctx), ctx, { statuses: [401], what: `Authorization: Bearer ${WRONG_KEY}` });
    },
  },
];
