// The route table, built from the spec's paths under the base URL's path (`/v1`) for the
// operations the profile serves, plus the profile's OpenAI-compatible prefix (`/oai/v1`).
// Exact paths are one Map lookup; the media path is the one parameterised route.
import { operations, spec } from '../../../contract/spec.js';
import { servesOperation, type Profile, type ProfileOperation } from '../../../contract/profiles.js';

export interface Route {
  operationId: ProfileOperation;
  /** Errors in the native envelope when the profile has one (generateNativeImage, getMedia). */
  native: boolean;
  /** Needs an API key (the spec's security; getMedia has none). */
  auth: boolean;
}

export interface RouteMatch {
  route: Route;
  /** The `{token}` of a parameterised path. */
  param?: string;
}

/** The path of the spec's server URL (`/v1`). */
export function specBasePath(): string {
  const server = (spec().servers as Array<{ variables?: { baseUrl?: { default?: string } } }> | undefined)?.[0];
  const url = server?.variables?.baseUrl?.default ?? '/';
  return new URL(url, 'http://localhost').pathname.replace(/\/+$/, '');
}

export class Router {
  /** Method, then path: two lookups on strings the adapter reuses, rather than a key built per request. */
  private readonly exact = new Map<string, Map<string, RouteMatch>>();
  private readonly prefixed: Array<{ method: string; prefix: string; route: Route }> = [];
  /** First path segments of the native operations (`/v1/inference/`, `/v1/media/`). */
  private readonly nativeSpaces = new Set<string>();

  constructor(profile: Profile, basePath: string) {
    for (const op of operations()) {
      const id = op.operationId as ProfileOperation;
      // The image URLs the mock hands out point at its own media route, so it is served under every
      // profile (a real gateway of a profile without getMedia hosts its URLs elsewhere).
      if (!servesOperation(profile, id) && id !== 'getMedia') continue;
      const tags = (op.operation.tags as string[] | undefined) ?? [];
      const native = tags.includes('Native') || tags.includes('Media');
      const security = op.operation.security as unknown[] | undefined;
      const route: Route = { operationId: id, native, auth: !(Array.isArray(security) && security.length === 0) };
      if (native) this.nativeSpaces.add(`${basePath}/${op.path.split('/')[1]}/`);
      const bases = [basePath];
      if (profile.openaiPrefix && !native) bases.push(profile.openaiPrefix.replace(/\/+$/, ''));
      const methods = op.method === 'GET' ? ['GET', 'HEAD'] : [op.method];
      for (const base of bases) {
        const brace = op.path.indexOf('{');
        for (const method of methods) {
          if (brace < 0) {
            let paths = this.exact.get(method);
            if (!paths) this.exact.set(method, (paths = new Map()));
            paths.set(`${base}${op.path}`, { route });
          }
          else this.prefixed.push({ method, prefix: `${base}${op.path.slice(0, brace)}`, route });
        }
      }
    }
  }

  /** Whether an unknown path lies in the native operations' space (answered in the native envelope). */
  isNativeSpace(path: string): boolean {
    for (const space of this.nativeSpaces) if (path.startsWith(space)) return true;
    return false;
  }

  match(method: string, path: string): RouteMatch | undefined {
    const hit = this.exact.get(method)?.get(path);
    if (hit) return hit;
    for (const p of this.prefixed) {
      if (p.method !== method || !path.startsWith(p.prefix)) continue;
      const param = path.slice(p.prefix.length);
      if (param.length > 0 && !param.includes('/')) return { route: p.route, param };
    }
    return undefined;
  }
}
