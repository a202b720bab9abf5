export async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url}/health did not answer 200 within ${timeoutMs / 1000} s`);
}

interface BannerInput {
  url: string;
  adminKey: string;
  adminKeyGenerated: boolean;
  dataDir: string;
  startedMs: number;
}

/** What a newcomer needs to start calling the API, read from the running Worker itself. */
export async function printBanner(input: BannerInput): Promise<void> {
  const auth = { headers: { Authorization: `Bearer ${input.adminKey}` } };
  const { tenants } = (await (await fetch(`${input.url}/v1/tenants`, auth)).json()) as {
    tenants: { slug: string; name: string; status: string }[];
  };
  const lines = [
    '',
    `Wijkteams API is running at ${input.url}  (ready in ${(input.startedMs / 1000).toFixed(1)} s)`,
    `  data folder:         ${input.dataDir}`,
    `  platform admin key:  ${input.adminKey}${input.adminKeyGenerated ? '  (generated; set PLATFORM_ADMIN_KEY to choose one)' : ''}`,
    '',
    '  tenant            status   teams',
  ];
  for (const tenant of tenants) {
    const res = await fetch(`${input.url}/v1/${tenant.slug}/teams`);
    const teams = res.ok ? ((await res.json()) as { teams: unknown[] }).teams.length : `HTTP ${res.status}`;
    lines.push(`  ${tenant.slug.padEnd(17)} ${tenant.status.padEnd(8)} ${teams}`);
  }
  lines.push(
    '',
    'Try:',
    `  curl ${input.url}/v1/groningen/teams`,
    `  curl -H "Authorization: Bearer ${input.adminKey}" ${input.url}/v1/tenants`,
    '',
    'Ctrl-C stops everything.',
  );
  console.log(lines.join('\n'));
}
