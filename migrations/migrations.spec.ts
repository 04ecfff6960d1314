import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './index';

describe('migration registry', () => {
	it('lists every migration file of the folder, in order', () => {
		const files = readdirSync(new URL('.', import.meta.url))
			.filter((name) => /^\d{4}_\d{2}_\d{2}_\d{6}_[a-z0-9_]+\.ts$/.test(name))
			.map((name) => name.replace(/\.ts$/, ''))
			.sort();
		expect(Object.keys(MIGRATIONS)).toEqual(files);
	});
});
