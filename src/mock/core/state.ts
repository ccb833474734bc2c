// What every handler of one mock instance shares.
import type { Profile } from '../../contract/profiles.js';
import type { Authenticator } from './gate/auth.js';
import type { ImageService } from './media/image-service.js';
import type { MediaTokens } from './media/media-tokens.js';
import type { ResolvedOptions } from '../options.js';
import type { ProgressHub } from '../node/progress.js';
import type { RateLimiter } from './gate/rate-limit.js';
import type { RequestContext } from './request-context.js';
import type { RequestRules } from './rules/request-rules.js';

export interface MockState {
  options: ResolvedOptions;
  profile: Profile;
  rules: RequestRules;
  images: ImageService;
  tokens: MediaTokens;
  auth: Authenticator;
  limiter: RateLimiter | undefined;
  progress: ProgressHub | undefined;
  /** Path of the base URL (`/v1`, from the spec's server URL). */
  basePath: string;
  /** `host:port` the server listens on (for URLs when the Host header is unusable). */
  listenAuthority: string;
}

const HOST = /^[A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](?::[0-9]{1,5})?$/;

/** The base URL clients reach this mock at (image URLs are built on it). */
export function publicBase(state: MockState, ctx: RequestContext): string {
  if (state.options.publicUrl) return state.options.publicUrl;
  const host = ctx.req.headers.host;
  return `http://${host && HOST.test(host) ? host : state.listenAuthority}${state.basePath}`;
}
