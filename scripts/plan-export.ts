// npm run --silent plan:export -- [--out plan.xlsx]
// Writes the whole current plan as one workbook (the same file as /donnees/plan.xlsx): to the file
// --out names, or to stdout. The workbook is the format `npm run plan:import` reads back.
import process from 'node:process';
import { exportPlanWorkbook } from '../src/lib/server/authoring/plan-import';
import { initDatabase } from '../src/lib/server/db/instance';
import {
	commandDatabasePath,
	outputPath,
	parseOptions,
	runCommand,
	UsageError,
	writeNewFile
} from './cli';

const USAGE = `Usage : npm run --silent plan:export -- [--out plan.xlsx]
Écrit le plan en cours dans un classeur Excel (le même que /donnees/plan.xlsx) : dans le fichier nommé, ou sur la sortie standard.`;

runCommand(async () => {
	const options = parseOptions(process.argv.slice(2), ['out'], USAGE);
	const out = options.get('out');
	if (out !== undefined && !/\.xlsx$/i.test(out))
		throw new UsageError(`Le fichier « ${out} » doit finir par .xlsx (un classeur Excel).`);
	const path = out === undefined ? undefined : outputPath(out);
	const db = await initDatabase(commandDatabasePath('refuse-named'));
	try {
		const body = await exportPlanWorkbook(db);
		if (path) {
			writeNewFile(path, body);
			process.stderr.write(`Plan écrit dans ${path}\n`);
		} else process.stdout.write(body);
	} finally {
		await db.destroy();
	}
});
