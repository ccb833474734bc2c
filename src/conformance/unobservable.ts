// Features the reference gateways document that no check can observe from outside, and why
// (docs/checks.md lists them under the check table, so every documented feature has a check or a line).
export interface Unobservable {
  feature: string;
  source: string;
  why: string;
}

export const UNOBSERVABLE: readonly Unobservable[] = [
  {
    feature: 'Rate-limit tiers (5 images/minute and 50/day free, 30/minute and 1,000/day pro)',
    source: 'ref 003',
    why: "Depend on the key's account tier and cost images to reach; a 429 the run meets is judged (headers.retry-after, headers.rate-limit-envelope).",
  },
  {
    feature: 'MODEL_ACCESS_DENIED for a model not enabled for the tenant; availability per tenant',
    source: 'ref 000',
    why: 'Needs a model the owner has disabled for the key; pass it with --model and the generic checks report the refusal.',
  },
  {
    feature: 'BACKEND_ERROR / content_policy_violation for prompts the safety system refuses; quota and budget caps',
    source: 'ref 000, ref 001, ref 003',
    why: 'Only the owner knows a prompt or header that triggers them: errors.content-policy, errors.quota and errors.budget run with --trigger.',
  },
  {
    feature: 'Custom sizes on "some models" (e.g. 1536x1024)',
    source: 'ref 001',
    why: 'The reference does not say which models: give them size.custom in a --catalogue file and model-rules.custom-size-* check them.',
  },
  {
    feature: 'metadata passed through to the provider; user used for abuse monitoring',
    source: 'ref 000, ref 001, ref 004',
    why: 'What the provider receives is not visible; the suite checks that both are accepted (model-rules.catalogue-values-accepted, native.success-envelope) and echoed where the profile says so (metadata.echoed).',
  },
  {
    feature: 'revised_prompt content; the prompt-rewriting escape hatch; negative guidance in prompts',
    source: 'ref 000, ref 001, ref 003',
    why: "Model output, not a contract: the suite checks revised_prompt's presence and type (success.revised-prompt), not its wording.",
  },
  {
    feature: 'Prices per image and perf.cost_usd amounts; perf.latency_ms accuracy',
    source: 'ref 001, ref 003',
    why: 'Prices vary by account and change; the suite checks cost_usd and latency_ms are non-negative numbers (perf.cost-latency).',
  },
  {
    feature: 'Required key capability "images"',
    source: 'ref 002',
    why: 'Needs a key without the capability, which only the owner can issue; a refused key is judged by the auth checks.',
  },
  {
    feature: 'Progress for providers without progress support (ComfyUI named as one that has it)',
    source: 'ref 002',
    why: 'Which backend serves a model is internal: the profile names the models or providers that emit progress (progressEvents), and progress.* check those.',
  },
];
