// An error check and its OpenAI-fidelity companion over the same (memoised) answers: the contract
// check judges status, envelope and contractual codes (MUST); the `-fidelity` check judges OpenAI's
// exact status, code, param and type, accepting every documented alternative (SHOULD; --strict: MUST).
import { fail, judgeClientError, judgeErrorFidelity, pass, skip, type ClientErrorExpectation } from '../assert.js';
import type { RunContext } from '../context.js';
import type { Exchange } from '../http.js';
import type { CheckDef, Outcome, Target } from '../types.js';

export interface ErrorCase {
  ex: Exchange;
  exp: ClientErrorExpectation;
}

export interface ErrorCheckDef extends Omit<CheckDef, 'run' | 'tier' | 'uses'> {
  uses?: CheckDef['uses'];
  /** The invalid requests and what each must get (memoised: the companion reads the same answers). */
  cases(ctx: RunContext, t: Target): Promise<ErrorCase[]>;
  /** Also applies to the companion; where the companion needs more (an error kind), say why not. */
  fidelityAppliesTo?: CheckDef['appliesTo'];
}

/** Judges several cases: all must pass for a pass. */
export function combine(cases: ErrorCase[], judge: (c: ErrorCase) => Outcome): Outcome {
  if (cases.length === 1) return judge(cases[0]!);
  const outcomes = cases.map(judge);
  const seqs = cases.map((c) => c.ex.seq);
  const failed = outcomes.filter((o): o is Extract<Outcome, { status: 'fail' }> => o.status === 'fail');
  if (failed.length) return fail(failed.map((f) => f.expected).join('; '), failed.map((f) => f.observed).join('; '), seqs, failed.find((f) => f.note)?.note);
  const passed = outcomes.filter((o): o is Extract<Outcome, { status: 'pass' }> => o.status === 'pass');
  if (!passed.length) return outcomes[0]!;
  return pass(cases.map((c, i) => `${c.exp.what}: ${outcomes[i]!.status === 'pass' ? (outcomes[i] as { observed: string }).observed : 'not judged'}`).join('; '), ...seqs);
}

/** The contract check (id as given) and its fidelity companion (`id-fidelity`). */
export function errorChecks(def: ErrorCheckDef): [CheckDef, CheckDef] {
  const { cases, fidelityAppliesTo, ...rest } = def;
  const contract: CheckDef = {
    ...rest,
    tier: 'contract',
    uses: def.uses ?? [],
    async run(ctx, t) {
      return combine(await cases(ctx, t), (c) => judgeClientError(c.ex, ctx, c.exp));
    },
  };
  const fidelity: CheckDef = {
    id: `${def.id}-fidelity`,
    title: `${def.title}: OpenAI's exact status, code, param and type (documented alternatives accepted)`,
    severity: 'SHOULD',
    tier: 'fidelity',
    rule: `${def.rule}; spec x-error alternatives (OpenAI fidelity)`,
    scope: def.scope,
    uses: def.uses ?? [],
    appliesTo(ctx, t) {
      const own = def.appliesTo(ctx, t);
      if (own !== true) return own;
      return fidelityAppliesTo ? fidelityAppliesTo(ctx, t) : true;
    },
    async run(ctx, t) {
      const all = await cases(ctx, t);
      const judged = all.filter((c) => c.exp.kind && judgeClientError(c.ex, ctx, c.exp).status === 'pass');
      if (!judged.length) return skip(`fidelity needs an answer that passes ${def.id} (the contract check) and names an error kind`);
      return combine(judged, (c) => judgeErrorFidelity(c.ex, ctx, c.exp));
    },
  };
  return [contract, fidelity];
}
