import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from './testing';

describe('scratchDir', () => {
	let made = '';

	it('gives a new folder to write in', () => {
		made = scratchDir('essai');
		writeFileSync(join(made, 'base.db'), 'x');
		expect(existsSync(join(made, 'base.db'))).toBe(true);
	});

	it('removed, with what it held, once the test that asked for it ended', () => {
		expect(made).not.toBe('');
		expect(existsSync(made)).toBe(false);
	});
});
