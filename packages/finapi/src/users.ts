import type { ProviderClient } from "@x/core";
import type { FinapiUserPaths } from "./client.js";
import { deleteAuthorizedUser } from "./generated/operations.js";

/**
 * Deletes the user a user client is authorized as, and all its data, at finAPI, then drops the user's cached tokens:
 * the user is gone at finAPI and its tokens with it, so there is nothing left to revoke. A function of the user
 * client, so that `@x/finapi/mini` apps import it (`user.deleteUser()` on the full client calls it).
 *
 * @example await deleteUser(finapi.forUser({ userId, password }));
 */
export async function deleteUser(user: ProviderClient<FinapiUserPaths>): Promise<void> {
  await deleteAuthorizedUser(user);
  await user.auth?.invalidate?.(user.runtime);
}
