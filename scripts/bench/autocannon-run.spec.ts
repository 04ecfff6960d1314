import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import process from 'node:process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile, runAutocannon } from './autocannon-run';

describe('percentile (nearest rank, to a tenth)', () => {
	it('reads the rank of the sorted values', () => {
		const values = Array.from({ length: 200 }, (_, i) => i + 1.04);
		expect(percentile(values, 50)).toBe(100); // the 100th of 200
		expect(percentile(values, 99)).toBe(198); // the 198th
		expect(percentile([3.25], 99)).toBe(3.3);
		expect(percentile([], 99)).toBe(0);
	});
});

describe('one autocannon measurement', () => {
	let server: Server;
	let url = '';
	beforeAll(async () => {
		server = createServer((_request, response) => response.end('bonjour'));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	it('gives the run, every response time sorted, the mean answer size and the CPU time', async () => {
		const run = await runAutocannon({ url, connections: 1 }, 1, process.pid);
		expect(run.times.length).toBeGreaterThan(0);
		expect(run.times).toEqual([...run.times].sort((a, b) => a - b));
		expect(run.result.errors + run.result.non2xx).toBe(0);
		// Status line and headers, and the seven bytes of the body.
		expect(run.bytes).toBeGreaterThan(7);
		expect(run.cpuMs).not.toBeNull();
		expect((await runAutocannon({ url, connections: 1 }, 1)).cpuMs).toBeNull();
	}, 15_000);
});
