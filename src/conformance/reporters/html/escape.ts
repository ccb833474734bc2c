// Text into HTML: everything escaped; the little Markdown the check titles and rules use (`code`,
// **bold**, [text](link)) rendered as inline elements, links reduced to their text (the report is
// offline: it links nowhere outside itself).

export function htmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Inline Markdown of titles, rules and expectations: escaped first, so nothing from a gateway becomes markup. */
export function inlineMarkdown(text: string): string {
  return text
    .split(/(`[^`\n]+`)/g)
    .map((part) => {
      if (part.length > 2 && part.startsWith('`') && part.endsWith('`')) return `<code>${htmlEscape(part.slice(1, -1))}</code>`;
      return htmlEscape(part)
        .replace(/\[([^\]\n]+)\]\([^)\s]+\)/g, '$1')
        .replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>');
    })
    .join('');
}

/** A fragment id for a check key such as `auth.wrong-key[dall-e-3]`. */
export function anchorOf(key: string): string {
  return `check-${key.replace(/[^A-Za-z0-9_.-]+/g, '_')}`;
}
