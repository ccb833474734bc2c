// Conditions for a check's `appliesTo` that several areas share. Each answers true or the reason the
// check does not apply, which the report shows as the skip reason, so the wording lives here once.
import { servesOperation, type ProfileOperation } from '../../contract/profiles.js';
import type { CheckDef } from '../types.js';

export type Applicability = CheckDef['appliesTo'];

/** Applies when every condition does; otherwise the first condition's reason. */
export function allOf(...conditions: Applicability[]): Applicability {
  return (ctx, t) => {
    for (const condition of conditions) {
      const ok = condition(ctx, t);
      if (ok !== true) return ok;
    }
    return true;
  };
}

export const serves =
  (operation: ProfileOperation): Applicability =>
  (ctx) =>
    servesOperation(ctx.profile, operation) ? true : `profile ${ctx.profile.name} does not serve ${operation}`;

export const servesCreateImage = serves('createImage');

/** The wrong-key checks, which mean something only when the user gave a key of their own. */
export const wrongKeyApplies = allOf(
  (ctx) => (ctx.keyProvided ? true : 'no API key given: a gateway that needs none cannot be told from one that accepts any key'),
  servesCreateImage,
);

/** The model is in the catalogue, so the checks can know what it takes. */
export const inCatalogue: Applicability = (_ctx, t) => (t.model ? true : `'${t.name}' is not in the model catalogue: generic checks only`);
