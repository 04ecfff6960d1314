// Its own module, free of side effects: scripts/serve-child.ts is compiled into the report
// command (build/ops), and must not carry scripts/start.js, which starts a server when run.

/**
 * The server's memory budget, given to V8 (`npm start`, the benchmark and the report start the
 * server with it): without it V8 sizes its heap from the machine's memory and lets garbage pile up
 * before collecting; with it, the portal stays within what a small virtual machine offers.
 */
export const SERVER_NODE_FLAGS = ['--max-old-space-size=160'];

/**
 * The server's environment beside those flags (same callers, and the systemd unit of
 * docs/operations.md). MALLOC_ARENA_MAX=2: glibc's allocator gives each thread that allocates its
 * own arena (up to eight per core); Node's worker threads compress answers and read files, and
 * what they freed stayed in their arenas. Two arenas kept the ten-years server's peak about 25 MB
 * lower under the same requests (docs/performance.md, « the allocator's arenas »). Read by glibc when
 * the process starts: it must be in the environment Node is started with.
 */
export const SERVER_ENV = { MALLOC_ARENA_MAX: '2' };
