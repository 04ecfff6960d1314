// npm run plan:import -- plan.xlsx [--dry-run] [--reason "…"] [--creer]
// Reads a workbook in the format of /donnees/plan.xlsx, checks every row, says what would change
// (added, modified, retired; field by field) and, without --dry-run, applies it in one transaction
// as revisions with the reason given. A workbook that does not validate changes nothing (exit 1).
// On an empty database, creates the plan from the workbook instead of the Lot plan.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import process from 'node:process';
import {
	applyPlanImport,
	initialLoadReason,
	NO_CHANGE,
	previewPlanImport
} from '../src/lib/server/authoring/plan-import';
import type { EntityChange } from '../src/lib/server/authoring/plan-diff';
import { plural, pluralize } from '../src/lib/utils/format';
import { prepareDatabase } from '../src/lib/server/db/instance';
import {
	asksForHelp,
	commandDatabasePath,
	CREATE_OPTION,
	exitWithError,
	type MissingDatabase,
	printUsage,
	runCommand,
	UsageError,
	userPath
} from './cli';

const ACTIONS: Record<EntityChange['action'], string> = {
	created: 'ajouté',
	updated: 'modifié',
	moved: 'déplacé',
	retired: 'retiré'
};

/** The change list as lines a person reads in a terminal. */
export function describeChanges(changes: EntityChange[]): string {
	return changes
		.map((change) => {
			const fields = change.changes
				.filter(() => change.action !== 'created')
				.map((f) => `    ${f.label} : « ${short(f.before)} » → « ${short(f.after)} »`);
			return [`- ${change.title} : ${ACTIONS[change.action]}`, ...fields].join('\n');
		})
		.join('\n');
}

function short(text: string): string {
	const line = text.replace(/\s+/g, ' ');
	return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

const USAGE = `Usage : npm run plan:import -- plan.xlsx [--dry-run] [--reason "…"] [--creer]
Lit un classeur au format de /donnees/plan.xlsx, dit ce qui changerait et, sans --dry-run, l’applique en une fois avec la raison donnée. Une base (DATABASE_PATH) qui n’existe pas est refusée, sauf avec --creer (elle est alors créée vide, et le classeur devient son plan).`;

function parseArgs(argv: string[]): {
	file: string;
	dryRun: boolean;
	reason: string | null;
	missing: MissingDatabase;
} {
	let file: string | null = null;
	let dryRun = false;
	let missing: MissingDatabase = 'refuse';
	let reason: string | null = null;
	if (asksForHelp(argv)) printUsage(USAGE);
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === '--dry-run') dryRun = true;
		else if (arg === CREATE_OPTION) missing = 'create';
		else if (arg === '--reason' || arg.startsWith('--reason=')) {
			reason = arg.startsWith('--reason=') ? arg.slice(9) : (argv[++i] ?? null);
			if (reason === null) throw new UsageError('L’option --reason attend une phrase.');
		} else if (arg.startsWith('-'))
			throw new UsageError(
				`Option inconnue « ${arg} » (options possibles : --dry-run, --reason, --creer ; --aide pour l’usage).`
			);
		else if (file) throw new UsageError('Indiquez un seul classeur à importer.');
		else file = arg;
	}
	if (!file)
		throw new UsageError(
			'Indiquez le classeur à importer : npm run plan:import -- plan.xlsx [--dry-run] [--reason "…"]'
		);
	return { file, dryRun, reason, missing };
}

runCommand(async () => {
	const { file, dryRun, reason, missing } = parseArgs(process.argv.slice(2));
	let bytes: Uint8Array;
	try {
		bytes = new Uint8Array(readFileSync(userPath(file)));
	} catch {
		throw new UsageError(`Le fichier « ${file} » est introuvable ou illisible.`);
	}
	// No Lot plan seeded here: on an empty database the workbook is the plan.
	const db = await prepareDatabase(commandDatabasePath(missing), null, { seedEmpty: false });
	try {
		const preview = await previewPlanImport(db, bytes);
		if (preview.problems.length > 0) {
			process.stderr.write(
				`Le classeur n’est pas valable, rien n’a été modifié (${preview.problems.length} ${plural(preview.problems.length, 'problème', 'problèmes')}) :\n${preview.problems.map((p) => `- ${p}`).join('\n')}\n`
			);
			process.exitCode = 1;
			return;
		}
		for (const notice of preview.notices) process.stderr.write(`${notice}\n`);
		if (preview.changes.length === 0) {
			process.stdout.write(`${NO_CHANGE}\n`);
			return;
		}
		process.stdout.write(
			`${preview.creates ? 'Plan à créer' : 'Modifications'} : ${pluralize(preview.changes.length, 'élément', 'éléments')}, ${pluralize(preview.fieldCount, 'champ', 'champs')}.\n${describeChanges(preview.changes)}\n`
		);
		if (dryRun) {
			process.stdout.write('Essai à blanc (--dry-run) : rien n’a été modifié.\n');
			return;
		}
		const why = reason ?? (preview.creates ? initialLoadReason(basename(file)) : null);
		if (!why)
			exitWithError(
				'Indiquez la raison de ces modifications avec --reason "…" (elle accompagne chaque révision publiée) ; rien n’a été modifié.'
			);
		const applied = await applyPlanImport(db, bytes, { reason: why, actor: null });
		if (!applied.ok) exitWithError(`${applied.message} Rien n’a été modifié.`);
		process.stdout.write(
			`Import terminé : ${pluralize(applied.value.changes.length, 'élément enregistré', 'éléments enregistrés')}, chacun avec une révision « ${why} ».\n`
		);
	} finally {
		await db.destroy();
	}
});
