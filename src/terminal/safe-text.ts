// Gateway text made safe for a terminal: the one sanitiser every console output of the project runs
// untrusted text through (conform's console reporter, the validation proxy's lines). A gateway's
// message must not clear the screen, set the window title, move the cursor, rewrite the line (CR)
// or print a fake "PASS" line of its own, so every C0/C1 control character, DEL, and the Unicode
// line/paragraph separators and bidirectional overrides are shown as visible escapes (`\x1b`,
// `\r`, `\u202e`). With ESC and C1 CSI/OSC shown, no escape sequence (CSI, OSC ... BEL/ST) can start.

export interface SafeTextOptions {
  /** Keep `\n` (multi-line fields such as curl commands); otherwise it is shown as `\n`. */
  multiline?: boolean;
}

// C0 except tab, DEL, C1, LS/PS, bidi embeddings/overrides/isolates, and the BOM.
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\u001b': '\\x1b', '\u0007': '\\a', '\b': '\\b' };

function shown(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export function terminalSafe(text: string, options: SafeTextOptions = {}): string {
  return text.replace(UNSAFE, (ch) => (ch === '\n' && options.multiline ? '\n' : shown(ch)));
}
