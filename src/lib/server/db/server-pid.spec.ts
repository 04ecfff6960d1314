import { linkSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pidFileOf, pidFileText, runningServerPid } from './server-pid.js';
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

	// Review s55, ops: db:restore through a hard link to the live database was not refused.
	it('is found through a hard link to the database in its folder', () => {
		const dir = scratchDir('pid');
		const database = join(dir, 'sdusn.db');
		writeFileSync(database, '');
		const hard = join(dir, 'copie.db');
		linkSync(database, hard);
		writeFileSync(join(dir, 'autre.db'), '');
		writeFileSync(pidFileOf(database), pidFileText());
		expect(runningServerPid(hard)).toBe(process.pid);
		// Another database of the folder is not that one.
		expect(runningServerPid(join(dir, 'autre.db'))).toBeNull();
	});

	it('is stale when written during an earlier boot of the machine, whatever process has its number now', () => {
		const dir = scratchDir('pid');
		const database = join(dir, 'sdusn.db');
		writeFileSync(database, '');
		// A live process's number (this one), as the server writes it: seen.
		writeFileSync(pidFileOf(database), pidFileText());
		expect(runningServerPid(database)).toBe(process.pid);
		// The same number in a file from another boot (a power cut left it): not a server.
		writeFileSync(pidFileOf(database), `${process.pid}\n00000000-0000-4000-8000-000000000000\n`);
		expect(runningServerPid(database)).toBeNull();
	});

	it('is still seen after the clock was stepped since the machine started (NTP, a VM restored)', () => {
		const dir = scratchDir('pid');
		const database = join(dir, 'sdusn.db');
		writeFileSync(database, '');
		writeFileSync(pidFileOf(database), pidFileText());
		// Written, by the clock of then, before what /proc/stat now gives as the boot's time.
		const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))![1]) * 1000;
		utimesSync(pidFileOf(database), new Date(btime - 60_000), new Date(btime - 60_000));
		expect(runningServerPid(database)).toBe(process.pid);
	});
});
