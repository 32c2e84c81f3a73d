#!/usr/bin/env node
// A committed launcher rather than `dist/main.js` itself: the workspace links bins at install time, before the first
// build, and a bin pointing into an absent dist/ would make every install print "Failed to create bin".
import "../dist/main.js";
