// The shape most checks share: once per model, read one shared generation and judge it. The factory
// fills in what follows from that (scope, uses, fetching the generation) so a check states only its
// identity and its judgement.
import type { Generation, RunContext } from '../context.js';
import type { CheckDef, GenerationKind, Outcome, Target } from '../types.js';
import type { Applicability } from './applicability.js';

export interface GenerationCheck extends Pick<CheckDef, 'id' | 'title' | 'severity' | 'rule' | 'examplesOnly' | 'optIn'> {
  /** Default: every model. */
  appliesTo?: Applicability;
  judge(ctx: RunContext, gen: Generation, t: Target): Outcome | Promise<Outcome>;
}

/** A per-model check that judges the shared generation `kind` (its only cost). */
export function generationCheck(kind: GenerationKind, def: GenerationCheck): CheckDef {
  const { judge, appliesTo = () => true, ...meta } = def;
  return {
    ...meta,
    scope: 'model',
    uses: [kind],
    appliesTo,
    async run(ctx, t) {
      return judge(ctx, await ctx.generation(t, kind), t);
    },
  };
}
