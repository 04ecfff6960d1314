// npm run db:migrate : brings the database named by DATABASE_PATH to the latest schema.
import process from 'node:process';
import { explainOpenError, openDatabase } from '../src/lib/server/db/index';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { commandDatabasePath, parseOptions, runCommand } from './cli';

const USAGE = `Usage : npm run db:migrate
Applique à la base (DATABASE_PATH) les migrations qu’elle n’a pas encore ; npm start le fait aussi à chaque démarrage.`;

runCommand(async () => {
	parseOptions(process.argv.slice(2), [], USAGE);
	const path = commandDatabasePath();
	const db = openDatabase(path);
	try {
		const applied = await migrateToLatest(db).catch((error: unknown) => {
			throw explainOpenError(path, error);
		});
		process.stdout.write(
			applied.length === 0
				? `La base « ${path} » est déjà à jour.\n`
				: `Migrations appliquées à « ${path} » : ${applied.join(', ')}.\n`
		);
	} finally {
		await db.destroy();
	}
});
