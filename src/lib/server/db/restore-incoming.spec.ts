import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { restoreBackup, restoreDatabase } from './restore';
import { migratedWithBackup } from './testing';

describe('restoring from the name of the restore’s own copy', () => {
	// Hostile probe s45: a backup named `<DATABASE_PATH>.restauration` was deleted (the copy's
	// place is cleared first), then the restore blamed the folder's rights.
	it('refuses it, in French, before anything, and deletes nothing', async () => {
		const { dir, target, backup } = await migratedWithBackup(
			'restauration-copie',
			'sdusn.db.restauration'
		);
		const files = readdirSync(dir).sort();
		const bytes = readFileSync(backup);
		const refusal = `« ${backup} » porte le nom que la restauration donne à sa copie de la sauvegarde (DATABASE_PATH suivi de « .restauration ») : elle l’effacerait avant de la lire. Rien n’a été changé : renommez ce fichier (par exemple « ${target}.sauvegarde ») et restaurez-le sous ce nom.`;
		await expect(restoreBackup(backup, target)).rejects.toThrow(refusal);
		expect(() => restoreDatabase(backup, target)).toThrow(refusal);
		expect(readdirSync(dir).sort()).toEqual(files);
		expect(readFileSync(backup).equals(bytes)).toBe(true);
	});
});
