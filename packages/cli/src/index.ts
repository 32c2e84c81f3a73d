// @x/cli: the `x` command (bin `x`), also callable from a script as `run(argv)`.
export { run } from "./run.js";
