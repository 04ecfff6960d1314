import { describe, expect, it } from 'vitest';
import { parseWrk, rotationScript } from './wrk';

// wrk 4.1 (Debian), run with --latency and a rotation script.
const REPORT = `Running 2s test @ http://127.0.0.1:4399/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    85.15ms   98.97ms 519.32ms   87.78%
    Req/Sec    68.47     56.91   240.00     78.95%
  Latency Distribution
     50%   55.67ms
     75%  108.36ms
     90%  217.00ms
     99%  485.30ms
  142 requests in 2.18s, 2.38MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 73
Requests/sec:     65.28
Transfer/sec:      1.09MB
`;

describe('wrk', () => {
	it('reads the rate, the 99th percentile in milliseconds, and every error', () => {
		expect(parseWrk(REPORT)).toEqual({ requestsPerSecond: 65, latencyP99: 485.3, errors: 78 });
	});

	it('converts a 99th percentile given in microseconds or seconds', () => {
		expect(parseWrk(REPORT.replace('485.30ms', '812.00us')).latencyP99).toBe(0.8);
		expect(parseWrk(REPORT.replace('485.30ms', '1.25s')).latencyP99).toBe(1250);
	});

	it('refuses a report it cannot read, instead of figures of zero', () => {
		expect(() => parseWrk('unable to connect to 127.0.0.1:4399 Connection refused')).toThrow(
			'Sortie de wrk illisible'
		);
	});

	it('asks for each path in turn, quoted for Lua', () => {
		expect(rotationScript(['/fiches?q=wifi', '/fiches?axe="x"'])).toContain(
			'local paths = { "/fiches?q=wifi", "/fiches?axe=\\"x\\"" }'
		);
	});
});
