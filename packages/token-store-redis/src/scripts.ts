/**
 * The Lua scripts of the store. Each runs atomically inside Redis, so a check and the write that
 * depends on it cannot be interleaved with another process's write (the race a GET-then-DEL would have).
 * Tokens are stored as JSON; scripts compare access tokens with `cjson`, which Redis ships with.
 */

/** GET plus the key's remaining lifetime in one round trip, so the in-process tier never outlives Redis. */
export const GET_WITH_TTL = `
local value = redis.call('GET', KEYS[1])
if not value then return false end
return {value, redis.call('PTTL', KEYS[1])}
`;

/**
 * SET with expiry, then tell the other processes to drop their in-process copy: a token set here may
 * replace one they still hold (a refresh), and they must read the new one from Redis. A writer that
 * holds the fetch lock frees it in the same round trip (KEYS[2], owner ARGV[5], '' for none): the
 * token is what the lock was waiting for.
 * ARGV: value, ttl ms, channel, message, lock owner.
 */
export const SET_AND_PUBLISH = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
if ARGV[5] ~= '' and redis.call('GET', KEYS[2]) == ARGV[5] then redis.call('DEL', KEYS[2]) end
return 1
`;

/**
 * Compare and delete: with ARGV[1] non-empty, deletes only if the stored token is still that access
 * token, so a newer token fetched meanwhile by another process survives a late 401 of the old one.
 * Publishes the invalidation whenever something was deleted (and always for an unconditional delete,
 * so a manual invalidation also clears in-process copies of a token Redis already expired).
 * ARGV: access token or '', channel, message.
 */
export const DELETE_TOKEN = `
local value = redis.call('GET', KEYS[1])
if ARGV[1] ~= '' then
  if not value then return 0 end
  local ok, token = pcall(cjson.decode, value)
  if not ok or type(token) ~= 'table' or token.accessToken ~= ARGV[1] then return 0 end
end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
`;

/**
 * One step of taking the fetch lock. KEYS: token key, lock key. ARGV: owner, ttl ms, snapshot.
 * Returns {status, snapshot} where snapshot is the SHA-1 of the stored token ('' for none):
 * - 'changed': a token different from the snapshot taken on the first step was stored, so the holder
 *   finished; the reply also carries that token and its remaining ttl, saving the waiter a read;
 * - 'locked': the caller now owns the lock (SET NX PX with a random owner, so only it can release it);
 * - 'held': someone else owns it; try again shortly (a crashed holder's lock expires after its ttl).
 * ARGV[3] = '*' on the first step, which only takes the snapshot. A deleted token is not a change:
 * the caller keeps trying for the lock instead of waiting for a token that will not come.
 */
export const LOCK_STEP = `
local value = redis.call('GET', KEYS[1])
local seen = value and redis.sha1hex(value) or ''
if value and ARGV[3] ~= '*' and seen ~= ARGV[3] then return {'changed', seen, value, redis.call('PTTL', KEYS[1])} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'locked', seen} end
return {'held', seen}
`;

/** Releases the lock only if this owner still holds it: after its ttl, another process may own it. */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
