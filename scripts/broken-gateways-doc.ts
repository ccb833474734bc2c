// Writes docs/broken-gateways.md from the defect table (`npm run docs:broken-gateways`); `--check` only verifies it.
import { renderBrokenGatewaysDoc } from '../test/broken-gateways/doc.js';
import { writeGeneratedDoc } from './write-doc.js';

writeGeneratedDoc('docs/broken-gateways.md', renderBrokenGatewaysDoc(), 'npm run docs:broken-gateways');
