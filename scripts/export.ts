// npm run --silent export -- --resource NAME [--year YYYY [--version N]]
// Prints one open-data file (docs/open-data.md) to stdout: the same bytes as /donnees/NAME.ext, or
// with --year as the published edition of that year froze it (/bilans/YYYY/NAME.ext).
import process from 'node:process';
import { initDatabase } from '../src/lib/server/db/instance';
import { openDataFile } from '../src/lib/server/opendata/published';
import { pathOfResource, resourceOfPath } from '../src/lib/server/opendata/resources';
import { commandDatabasePath, parseOptions, runCommand, UsageError } from './cli';

/** `--format json|csv`, from sdusn/plan@1, still names plan.json and fiches.csv. */
const FORMATS: Record<string, string> = { json: 'plan', csv: 'fiches' };

const USAGE = `Usage : npm run --silent export -- [--resource NOM] [--year AAAA [--version N]]
Écrit sur la sortie standard un fichier des données ouvertes (datapackage, plan — par défaut —, fiches, mesures, mesures-AAAA, mises-a-jour ou decisions) : le même que sous /donnees/, ou avec --year tel que le bilan publié de cette année l’a figé. --format json|csv, de sdusn/plan@1, nomme encore plan et fiches.`;

runCommand(async () => {
	const options = parseOptions(
		process.argv.slice(2),
		['resource', 'year', 'version', 'format'],
		USAGE
	);
	const format = options.get('format');
	if (format !== undefined && !FORMATS[format])
		throw new UsageError(
			`Format « ${format} » inconnu : utilisez --resource NOM (voir docs/open-data.md).`
		);
	const name = options.get('resource') ?? (format ? FORMATS[format]! : 'plan');
	if (resourceOfPath(pathOfResource(name)) !== name)
		throw new UsageError(
			`Ressource « ${name} » inconnue : datapackage, plan, fiches, mesures, mesures-AAAA, mises-a-jour ou decisions.`
		);
	const year = options.get('year');
	const version = options.get('version');
	if (year !== undefined && !/^\d{4}$/.test(year))
		throw new UsageError(`L’année « ${year} » n’est pas une année sur quatre chiffres.`);
	if (version !== undefined && (year === undefined || !/^\d{1,4}$/.test(version)))
		throw new UsageError('L’option --version attend un numéro, avec --year.');
	const db = await initDatabase(commandDatabasePath('refuse-named'));
	try {
		const edition = year
			? { year: Number(year), version: version ? Number(version) : undefined }
			: undefined;
		const file = await openDataFile(db, name, edition);
		if (!file)
			throw new UsageError(
				year
					? `Le bilan ${year}${version ? ` en version ${version}` : ''} n’est pas publié ou n’a pas de fichier « ${pathOfResource(name)} ».`
					: `Aucun fichier « ${pathOfResource(name)} » : aucune mesure publiée n’est datée de cette année.`
			);
		process.stdout.write(file.body);
	} finally {
		await db.destroy();
	}
});
