import { describe, expect, it } from 'vitest';
import { childPortalEnv } from './serve-child';

// One environment for every portal started as a child (scripts/serve-child.ts for the benchmark
// and the report, tests/e2e/helpers/own-portal.ts for the end-to-end specs): each wrote its own.
describe('the environment of a child portal', () => {
	it('listens on loopback, on its port and its database, whatever the caller passes', () => {
		const env = childPortalEnv(4971, '/tmp/x.db', { LOG_LEVEL: 'info', PORT: '80' });
		expect(env).toMatchObject({
			PORT: '4971',
			HOST: '127.0.0.1',
			DATABASE_PATH: '/tmp/x.db',
			LOG_LEVEL: 'info'
		});
		expect(env.PATH).toBe(process.env.PATH);
	});

	it('behind a proxy, is given its own address as ORIGIN unless the caller gives one', () => {
		expect(childPortalEnv(4972, 'a.db', { ADDRESS_HEADER: 'X-Forwarded-For' }).ORIGIN).toBe(
			'http://127.0.0.1:4972'
		);
		const given = { ADDRESS_HEADER: 'X-Forwarded-For', ORIGIN: 'https://sdusn.example' };
		expect(childPortalEnv(4972, 'a.db', given).ORIGIN).toBe('https://sdusn.example');
		// Not behind a proxy (the report's empty ADDRESS_HEADER): no ORIGIN made up.
		expect(childPortalEnv(4972, 'a.db', { ADDRESS_HEADER: '' }).ORIGIN).toBe(process.env.ORIGIN);
	});
});
