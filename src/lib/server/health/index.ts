import { version as buildName } from '$app/environment';
import { MIGRATIONS } from '../../../../migrations/index';
import pkg from '../../../../package.json';
import { portalVersion } from '../config.js';
import type { Executor } from '../db';
import { diskRecentlyFull } from '../db/dialect';
import { appliedMigrations } from './repository';

export interface Health {
	statut: 'ok' | 'dégradé';
	base: 'joignable' | 'injoignable';
	/** 'plein': a write was refused for a full disk in the last minutes. */
	disque: 'ok' | 'plein';
	migrations: 'à jour' | 'en retard' | 'inconnues';
	version: string;
	/** Seconds since the process started. */
	enMarcheDepuis: number;
}

/**
 * What `/sante` answers: whether the database answers and has every migration of this version.
 * Nothing personal, nothing about the data itself, and not Node's version, which anyone could
 * match against published flaws (the server's log gives it at start-up).
 */
export async function checkHealth(db: Executor | null): Promise<Health> {
	let base: Health['base'] = 'injoignable';
	let migrations: Health['migrations'] = 'inconnues';
	if (db) {
		try {
			const applied = new Set(await appliedMigrations(db));
			base = 'joignable';
			migrations = Object.keys(MIGRATIONS).every((name) => applied.has(name))
				? 'à jour'
				: 'en retard';
		} catch {
			base = 'injoignable';
		}
	}
	const disque = diskRecentlyFull() ? 'plein' : 'ok';
	return {
		statut: base === 'joignable' && migrations === 'à jour' && disque === 'ok' ? 'ok' : 'dégradé',
		base,
		disque,
		migrations,
		version: portalVersion(pkg.version, buildName),
		enMarcheDepuis: Math.round(process.uptime())
	};
}
