// The Web Form 2.0 spec's tables, for the full client's web form client: loaded with import() next to web-form.ts,
// and never by `@x/finapi/mini`, whose web form client calls the operation functions instead.
export { methods } from "./generated/webform/methods.js";
export { operations } from "./generated/webform/spec.js";
