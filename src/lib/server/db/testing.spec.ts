import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchDir } from './testing';

describe('scratchDir', () => {
	let made: string | null = null;

	it('gives a new folder to write in', () => {
		made = scratchDir('essai');
		writeFileSync(join(made, 'base.db'), 'x');
		expect(existsSync(join(made, 'base.db'))).toBe(true);
	});

	// After the test and its own hooks: the folder is gone, with what it held.
	afterAll(() => {
		if (made !== null) expect(existsSync(made)).toBe(false);
	});
});
