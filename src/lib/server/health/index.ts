import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { version as buildName } from '$app/environment';
import { MIGRATIONS } from '../../../../migrations/index';
import pkg from '../../../../package.json';
import { portalVersion } from '../config.js';
import type { Db } from '../db';
import { diskRecentlyFull } from '../db/dialect';
import { appliedMigrations } from './repository';

export interface Health {
	statut: 'ok' | 'dégradé';
	base: 'joignable' | 'injoignable';
	/**
	 * 'plein': a write was refused for a full disk in the last minutes; 'presque plein': the
	 * database's folder has less free space than DISK_MIN_FREE (no figure: anyone may ask).
	 */
	disque: 'ok' | 'plein' | 'presque plein';
	migrations: 'à jour' | 'en retard' | 'inconnues';
	/** For the operator only (`detailed`): the build, and seconds since the process started. */
	version?: string;
	enMarcheDepuis?: number;
}

/** This machine itself: 127.0.0.0/8 and ::1, also written as IPv4 in IPv6. */
export function isLoopback(address: string | null): boolean {
	if (address === null) return false;
	const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
	return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** The free space of a folder's file system, as `fs.statfs` gives it. */
type MeasureFolder = (folder: string) => Promise<{ bavail: number; bsize: number }>;

let freeSpace: { folder: string; minFreeBytes: number; measure: MeasureFolder } | null = null;

/**
 * Makes `/sante` measure the free space of the database's folder at each call (one statfs, cheap)
 * and answer 503 under `minFreeBytes` (DISK_MIN_FREE), before a write fails for want of room; 0
 * measures nothing. Called once by the server's init; `measure` is replaced in tests.
 */
export function watchFreeSpace(
	databasePath: string,
	minFreeBytes: number,
	measure: MeasureFolder = statfs
): void {
	freeSpace =
		databasePath === ':memory:' || minFreeBytes <= 0
			? null
			: { folder: dirname(resolve(databasePath)), minFreeBytes, measure };
}

/** Whether the database's folder has less free space than allowed (unknown: not said short). */
async function shortOfSpace(): Promise<boolean> {
	if (!freeSpace) return false;
	try {
		const { bavail, bsize } = await freeSpace.measure(freeSpace.folder);
		return bavail * bsize < freeSpace.minFreeBytes;
	} catch {
		// A folder that cannot be measured: the database's own answer says what is wrong.
		return false;
	}
}

/**
 * What `/sante` answers: whether the database answers and has every migration of this version,
 * and whether its disk has room.
 * Nothing personal, nothing about the data itself, and not Node's version, which anyone could
 * match against published flaws (the server's log gives it at start-up). The build's time and the
 * uptime only when `detailed` (the operator): to anyone else they would date each deployment and
 * tell from outside whether, and when, the process was restarted.
 */
export async function checkHealth(db: Db | null, detailed = false): Promise<Health> {
	let base: Health['base'] = 'injoignable';
	let migrations: Health['migrations'] = 'inconnues';
	if (db) {
		try {
			const applied = new Set(appliedMigrations(db));
			base = 'joignable';
			migrations = Object.keys(MIGRATIONS).every((name) => applied.has(name))
				? 'à jour'
				: 'en retard';
		} catch {
			base = 'injoignable';
		}
	}
	const disque = diskRecentlyFull() ? 'plein' : (await shortOfSpace()) ? 'presque plein' : 'ok';
	return {
		statut: base === 'joignable' && migrations === 'à jour' && disque === 'ok' ? 'ok' : 'dégradé',
		base,
		disque,
		migrations,
		...(detailed && {
			version: portalVersion(pkg.version, buildName),
			enMarcheDepuis: Math.round(process.uptime())
		})
	};
}
