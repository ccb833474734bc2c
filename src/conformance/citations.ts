// Citation tokens in check rules and docs: `facts §6.8` (a section of the project's research notes)
// and `ref 000`..`ref 004` (the gateways' published docs). docs/sources.md has an anchor for each
// (`facts-6-8`, `ref-000`); the generated docs link the tokens to it.

/** `§6.8` (with or without a leading `facts `) and `ref 000`. */
const TOKEN = /(?:facts )?§(\d+(?:\.\d+)?)|\bref (00\d)\b/g;

/** The docs/sources.md anchor of a facts section (`6.8` -> `facts-6-8`) or reference (`000` -> `ref-000`). */
export function citationAnchor(token: { facts?: string; ref?: string }): string {
  return token.facts !== undefined ? `facts-${token.facts.replace(/\./g, '-')}` : `ref-${token.ref}`;
}

/** Every citation in a text, as anchors (duplicates kept in order). */
export function citationAnchors(text: string): string[] {
  return [...text.matchAll(TOKEN)].map((m) => citationAnchor(m[1] !== undefined ? { facts: m[1] } : { ref: m[2]! }));
}

/** Markdown with each citation token linked to its anchor in `sourcesHref` (e.g. `sources.md`). */
export function linkCitations(markdown: string, sourcesHref: string): string {
  return markdown.replace(TOKEN, (whole, facts: string | undefined, ref: string | undefined) => `[${whole}](${sourcesHref}#${citationAnchor(facts !== undefined ? { facts } : { ref: ref! })})`);
}
