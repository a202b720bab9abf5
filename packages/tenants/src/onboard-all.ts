import { controlDb, mapBounded } from '@wijkteams/db';
import { allMunicipalities, type Municipality } from '@wijkteams/lookup';
import { type OnboardingOutcome, type OnboardingRequest, onboardTenant } from './onboard.ts';
import type { ProvisionContext } from './provision.ts';
import { listTenants } from './registry.ts';
import { slugsForMunicipalities } from './slug.ts';

export interface CountryOnboardingOptions {
  /** Municipalities onboarded at the same time (each its own database). */
  concurrency?: number;
  /** Which municipalities; every one in the CBS data unless given. */
  municipalities?: readonly Municipality[];
  /** Called as each municipality is done, for progress output. */
  onOutcome?: (request: OnboardingRequest, outcome: OnboardingOutcome) => void;
}

export interface CountryOnboardingReport {
  /** Municipalities that already had an active or suspended tenant and were left alone. */
  alreadyOnboarded: number;
  outcomes: { request: OnboardingRequest; outcome: OnboardingOutcome }[];
}

export const DEFAULT_ONBOARDING_CONCURRENCY = 4;

/**
 * Onboards every municipality that is not yet a tenant, each as `onboardTenant` does it (its own
 * database, migrated and seeded with its PC4 areas). Resumable: a tenant a previous run left
 * `failed` or `provisioning` (cut off half way) is completed under the slug and name it was
 * registered with; one failing does not stop the others, and running the command again retries it.
 */
export async function onboardCountry(
  ctx: ProvisionContext,
  options: CountryOnboardingOptions = {},
): Promise<CountryOnboardingReport> {
  const existing = await listTenants(controlDb(ctx.control));
  const byCode = new Map(existing.map((tenant) => [tenant.municipalityCode, tenant]));
  const municipalities = options.municipalities ?? allMunicipalities();
  const slugs = slugsForMunicipalities(
    municipalities.filter((m) => !byCode.has(m.code)),
    new Set(existing.map((tenant) => tenant.slug)),
  );

  const requests: OnboardingRequest[] = [];
  let alreadyOnboarded = 0;
  for (const municipality of municipalities) {
    const tenant = byCode.get(municipality.code);
    if (tenant?.status === 'active' || tenant?.status === 'suspended') {
      alreadyOnboarded++;
      continue;
    }
    requests.push(
      tenant
        ? { slug: tenant.slug, name: tenant.name, municipalityCode: municipality.code }
        : {
            slug: slugs.get(municipality.code) as string,
            name: `Gemeente ${municipality.name}`,
            municipalityCode: municipality.code,
          },
    );
  }

  const outcomes = await mapBounded(
    requests,
    options.concurrency ?? DEFAULT_ONBOARDING_CONCURRENCY,
    async (request) => {
      // A control database that cannot be reached for one municipality fails that one, not the run.
      const outcome: OnboardingOutcome = await onboardTenant(ctx, request).catch((error: unknown) => ({
        status: 'failed' as const,
        tenant: undefined,
        detail: error instanceof Error ? error.message : String(error),
      }));
      options.onOutcome?.(request, outcome);
      return { request, outcome };
    },
  );
  return { alreadyOnboarded, outcomes };
}
