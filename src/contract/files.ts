// Where the generated contract lives. src/ and dist/ sit at the same depth below the package root,
// so one relative path serves the TypeScript sources (tests) and the built package.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

export function readGeneratedJson<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../generated/${name}`, import.meta.url), 'utf8')) as T;
}

export function readOpenapiFile(name: string): string {
  return readFileSync(new URL(`../../openapi/${name}`, import.meta.url), 'utf8');
}
