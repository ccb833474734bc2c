// Writes docs/checks.md from the check registry (`npm run docs:checks`); `--check` only verifies it.
import { renderChecksDoc } from '../src/conformance/checks-doc.js';
import { writeGeneratedDoc } from './write-doc.js';

writeGeneratedDoc('docs/checks.md', renderChecksDoc(), 'npm run docs:checks');
