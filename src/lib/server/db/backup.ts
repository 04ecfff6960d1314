import { existsSync, renameSync, rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { StartupError } from './index';

/**
 * Copies a live database with SQLite's online backup API (consistent even while the server
 * writes), into a temporary file that becomes `target` only once `integrity_check` says ok.
 */
export async function backupDatabase(source: string, target: string): Promise<{ pages: number }> {
	if (existsSync(target))
		throw new StartupError(`Le fichier « ${target} » existe déjà : choisissez un autre nom.`);
	const partial = `${target}.partiel`;
	rmSync(partial, { force: true });
	const db = new SQLite(source, { readonly: true, fileMustExist: true });
	try {
		db.pragma('busy_timeout = 5000');
		const { totalPages } = await db.backup(partial);
		const copy = new SQLite(partial, { readonly: true });
		try {
			const result = copy.pragma('integrity_check', { simple: true });
			if (result !== 'ok')
				throw new StartupError(
					`La sauvegarde n’est pas intègre (${String(result)}) : elle a été supprimée.`
				);
		} finally {
			copy.close();
		}
		renameSync(partial, target);
		return { pages: totalPages };
	} catch (error) {
		rmSync(partial, { force: true });
		throw error;
	} finally {
		db.close();
	}
}
