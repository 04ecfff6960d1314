// npm run db:backup -- <fichier> : online backup of DATABASE_PATH (SQLite backup API), then checked.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { backupDatabase } from '../src/lib/server/db/backup';
import { commandDatabasePath, oneFileArgument, runCommand, UsageError, userPath } from './cli';

const USAGE = `Usage : npm run db:backup -- sauvegarde.db
Copie la base (DATABASE_PATH) pendant que le portail tourne, puis vérifie la copie.`;

runCommand(async () => {
	const target = oneFileArgument(
		process.argv.slice(2),
		USAGE,
		'Indiquez un seul fichier de destination : npm run db:backup -- sauvegarde.db'
	);
	const source = commandDatabasePath();
	if (!existsSync(source))
		throw new UsageError(`La base « ${source} » n’existe pas (variable DATABASE_PATH).`);
	const written = userPath(target);
	const result = await backupDatabase(source, written);
	process.stdout.write(
		`Sauvegarde écrite dans « ${written} » : ${result.pages} pages, vérification d’intégrité : ok.\n`
	);
});
