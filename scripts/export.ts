// npm run --silent export -- --format json|csv : prints the open-data document to stdout.
import process from 'node:process';
import { initDatabase } from '../src/lib/server/db/instance';
import {
	buildPlanDocument,
	planDocumentToCsv,
	planDocumentToJson
} from '../src/lib/server/opendata/plan-document';
import { commandDatabasePath, parseOptions, runCommand, UsageError } from './cli';

runCommand(async () => {
	const options = parseOptions(process.argv.slice(2), ['format']);
	const format = options.get('format') ?? 'json';
	if (format !== 'json' && format !== 'csv') {
		throw new UsageError(`Format « ${format} » inconnu : utilisez --format json ou --format csv.`);
	}
	const db = await initDatabase(commandDatabasePath());
	try {
		const document = await buildPlanDocument(db);
		process.stdout.write(
			format === 'json' ? planDocumentToJson(document) : planDocumentToCsv(document)
		);
	} finally {
		await db.destroy();
	}
});
