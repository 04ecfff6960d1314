// npm run db:migrate -- [--creer] : brings the database named by DATABASE_PATH to the latest schema
// (a file that does not exist is refused, unless --creer says to create it).
import process from 'node:process';
import { explainOpenError, openDatabase } from '../src/lib/server/db/index';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { commandDatabasePath, parseOptions, runCommand, takeCreateOption } from './cli';

const USAGE = `Usage : npm run db:migrate -- [--creer]
Applique à la base (DATABASE_PATH) les migrations qu’elle n’a pas encore ; npm start le fait aussi à chaque démarrage. Une base qui n’existe pas est refusée, sauf avec --creer.`;

runCommand(async () => {
	const { argv, missing } = takeCreateOption(process.argv.slice(2));
	parseOptions(argv, [], USAGE);
	const path = commandDatabasePath(missing);
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
