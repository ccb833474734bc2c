// The HTML reporter (modules in ./html/): see html/index.ts.
export { renderHtml, htmlEscape, inlineMarkdown } from './html/index.js';
