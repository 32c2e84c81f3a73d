/** The provider name, shared by both entries: in errors, events and cache keys, and the brand of `isSaltEdgeError`. */
export const PROVIDER = "saltedge";
