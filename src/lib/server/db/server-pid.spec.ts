import { symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pidFileOf, runningServerPid } from './server-pid.js';
import { scratchDir } from './testing';

describe('the running server’s pid file', () => {
	it('is the same file whichever name leads to the database, a link included', () => {
		const dir = scratchDir('pid');
		const database = join(dir, 'sdusn.db');
		writeFileSync(database, '');
		const link = join(dir, 'lien.db');
		symlinkSync(database, link);
		expect(pidFileOf(link)).toBe(pidFileOf(database));
		writeFileSync(pidFileOf(database), `${process.pid}\n`);
		expect(runningServerPid(link)).toBe(process.pid);
	});

	it('is stale when written before the machine last started, whatever process has its number now', () => {
		const dir = scratchDir('pid');
		const database = join(dir, 'sdusn.db');
		writeFileSync(database, '');
		// A live process's number (this one), in a file from before the last boot (a power cut).
		writeFileSync(pidFileOf(database), `${process.pid}\n`);
		expect(runningServerPid(database)).toBe(process.pid);
		utimesSync(pidFileOf(database), new Date('2000-01-01'), new Date('2000-01-01'));
		expect(runningServerPid(database)).toBeNull();
	});
});
