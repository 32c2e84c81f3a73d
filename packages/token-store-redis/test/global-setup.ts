import type { TestProject } from "vitest/node";
import { findRedisServer, startRedisServer } from "./helpers/redis-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** redis://127.0.0.1:<port> of the redis-server shared by the test files (each uses its own key prefix). */
    redisUrl: string;
    /** Path of the redis-server binary, for tests that need a server of their own to stop and restart. */
    redisServerBinary: string;
  }
}

export default async function setup(project: TestProject) {
  const binary = findRedisServer();
  const server = await startRedisServer(binary);
  project.provide("redisUrl", server.url);
  project.provide("redisServerBinary", binary);
  return () => server.stop();
}
