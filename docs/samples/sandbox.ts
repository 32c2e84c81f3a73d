import { createProviderClient, oauth2Auth } from "@x/core";
import { startSandbox } from "@x/sandbox";

export async function example(): Promise<{ requests: number; tokens: number }> {
  const sandbox = await startSandbox({ providers: ["echo"] });
  try {
    const echo = sandbox.provider("echo");
    const client = createProviderClient({
      provider: "echo",
      baseUrl: echo.url,
      retry: { retries: 2, minDelayMs: 10 },
      auth: oauth2Auth({
        tokenUrl: `${echo.url}/oauth/token`,
        clientId: echo.demoCredentials.clientId ?? "",
        clientSecret: echo.demoCredentials.clientSecret ?? "",
        grant: { type: "client_credentials" },
      }),
    });
    // The first request (the token request) gets a 503; token requests are safe to repeat, so it is retried.
    echo.setFaults({ failNext: { status: 503, count: 1 } });
    for (const word of ["hello", "world"]) {
      const response = await client.fetch(`${echo.url}/echo`, { method: "POST", body: word });
      if (!response.ok) throw new Error(`echo answered ${response.status}`);
    }
    const stats = echo.stats();
    return { requests: stats.requests, tokens: stats.tokensIssued.access ?? 0 };
  } finally {
    await sandbox.close();
  }
}
