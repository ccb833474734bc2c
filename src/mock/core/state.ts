// What every stage of one mock instance shares.
import type { Profile } from '../../contract/profiles.js';
import type { ProgressHub } from './answer/progress.js';
import type { Authenticator } from './gate/auth.js';
import type { RateLimiter } from './gate/rate-limit.js';
import type { ScenarioCounts } from './gate/scenario-counts.js';
import type { ImageService } from './media/image-service.js';
import type { MediaTokens } from './media/media-tokens.js';
import type { ResolvedOptions } from '../options.js';
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
  /** Generation progress events, where an adapter provides them (node/: Socket.IO). */
  progress: ProgressHub | undefined;
  /** How often counted scenarios (`:once`, `:N`) have failed each request. */
  scenarioCounts: ScenarioCounts;
  /** Path of the base URL (`/v1`, from the spec's server URL). */
  basePath: string;
}

/** The base URL clients reach this mock at (image URLs are built on it): the request's origin plus the base path. */
export function publicBase(state: MockState, ctx: RequestContext): string {
  if (state.options.publicUrl) return state.options.publicUrl;
  const url = ctx.request.url;
  const scheme = url.indexOf('://');
  const end = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
  return `${end < 0 ? url : url.slice(0, end)}${state.basePath}`;
}
