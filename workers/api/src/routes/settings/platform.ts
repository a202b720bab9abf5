import type { PlatformLimits } from '@wijkteams/tenants';
import type { Runtime } from '../../runtime.ts';

/** The platform's rate limits: every tenant's default and, unless the platform admin set others, its caps. */
export function platformLimits(runtime: Runtime): PlatformLimits {
  return {
    keyRateLimitPerMinute: runtime.config.keyRateLimitPerMinute,
    publicRateLimitPerMinute: runtime.config.publicRateLimitPerMinute,
  };
}
