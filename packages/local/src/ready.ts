/**
 * Waits until the Worker answers `path` with 200. wrangler dev may restart the Worker once right
 * after its first build, so a refused or dropped connection is retried until the deadline.
 */
export async function waitFor200(url: string, timeoutMs: number, init?: RequestInit): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
      if (res.ok) return res;
    } catch {
      // not listening yet, or restarting
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}

interface BannerInput {
  url: string;
  adminKey: string;
  adminKeyGenerated: boolean;
  dataDir: string;
  /** A partner key with every scope, per tenant slug. */
  partnerKeys: Record<string, string>;
  startedMs: number;
}

/** What a newcomer needs to start calling the API, read from the running Worker itself. */
export async function printBanner(input: BannerInput): Promise<void> {
  const auth = { headers: { Authorization: `Bearer ${input.adminKey}` } };
  const { tenants } = (await (await waitFor200(`${input.url}/v1/tenants`, 30_000, auth)).json()) as {
    tenants: { slug: string; name: string; status: string }[];
  };
  const lines = [
    '',
    `Wijkteams API is running at ${input.url}  (ready in ${(input.startedMs / 1000).toFixed(1)} s)`,
    `  data folder:         ${input.dataDir}  (partner keys also in partner-keys.json there)`,
    `  platform admin key:  ${input.adminKey}${input.adminKeyGenerated ? '  (generated; set PLATFORM_ADMIN_KEY to choose one)' : ''}`,
    '',
    '  tenant            status   teams  partner key (all scopes)',
  ];
  for (const tenant of tenants) {
    const res = await waitFor200(`${input.url}/v1/${tenant.slug}/teams`, 30_000);
    const { teams } = (await res.json()) as { teams: unknown[] };
    const key = input.partnerKeys[tenant.slug] ?? '(none: onboarded after start)';
    lines.push(
      `  ${tenant.slug.padEnd(17)} ${tenant.status.padEnd(8)} ${String(teams.length).padEnd(6)} ${key}`,
    );
  }
  lines.push(
    '',
    'Try:',
    `  curl ${input.url}/v1/groningen/teams`,
    `  curl -H "Authorization: Bearer ${input.adminKey}" ${input.url}/v1/tenants`,
    `  curl -H "Authorization: Bearer ${input.partnerKeys.zeist ?? '<partner key>'}" ${input.url}/v1/zeist/api-keys`,
    `  open ${input.url}/docs`,
    `  curl ${input.url}/dev/messages        # every e-mail and SMS sent (also in ${input.dataDir}/outbox/)`,
    '',
    'Ctrl-C stops everything.',
  );
  console.log(lines.join('\n'));
}
