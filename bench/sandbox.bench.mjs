// Baseline cost of one sandbox round trip over a real loopback socket: subtract it when reading provider benches.
import { startSandbox } from "@x/sandbox";
import { measure } from "./lib.mjs";

export default async function () {
  const sandbox = await startSandbox({ providers: ["echo"] });
  const base = sandbox.urls.echo;
  const { clientId, clientSecret } = sandbox.provider("echo").demoCredentials;
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: clientId,
    client_secret: clientSecret,
  });
  try {
    const tokenRequest = () =>
      fetch(`${base}/oauth/token`, { method: "POST", body: form }).then((r) => r.arrayBuffer());
    const { access_token } = await (await fetch(`${base}/oauth/token`, { method: "POST", body: form })).json();
    const call = () =>
      fetch(`${base}/echo`, { method: "POST", headers: { authorization: `Bearer ${access_token}` }, body: "x" }).then(
        (r) => r.arrayBuffer(),
      );
    return [await measure("token request", tokenRequest), await measure("authenticated call", call)];
  } finally {
    await sandbox.close();
  }
}
