#!/usr/bin/env node
// The `x` bin: runs the command line it was given and exits with the command's code.
import { run } from "./run.js";

void run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
