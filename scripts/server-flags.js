// Its own module, free of side effects: scripts/serve-child.ts is compiled into the report
// command (build/ops), and must not carry scripts/start.js, which starts a server when run.

/**
 * The server's memory budget, given to V8 (`npm start`, the benchmark and the report start the
 * server with it): without it V8 sizes its heap from the machine's memory and lets garbage pile up
 * before collecting; with it, the portal stays within what a small virtual machine offers.
 */
export const SERVER_NODE_FLAGS = ['--max-old-space-size=160'];
