export { redisTokenStore } from "./redis-token-store.js";
export type { RedisTokenStore, RedisTokenStoreOptions } from "./redis-token-store.js";
