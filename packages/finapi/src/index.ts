// The public surface of @x/finapi: the full client (generated methods and helpers on every client), and the rest.
export { createFinapiClient } from "./full-client.js";
export * from "./surface.js";
