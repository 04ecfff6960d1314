// npm run plan:import -- plan.xlsx [--dry-run] [--reason "…"] [--abandonner 17-2,9-1] [--creer]
// Reads a workbook in the format of /donnees/plan.xlsx, checks every row, says what would change
// (added, modified, retired; field by field) and, without --dry-run, applies it in one transaction
// as revisions with the reason given. A workbook that does not validate changes nothing (exit 1),
// nor one that abandons fiches (left out of it) that --abandonner does not name, as the web
// import's boxes must each be ticked.
// On an empty database, creates the plan from the workbook instead of the Lot plan.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import process from 'node:process';
import {
	applyPlanImport,
	importProblemsSummary,
	initialLoadReason,
	NO_CHANGE,
	previewPlanImport
} from '../src/lib/server/authoring/plan-import';
import type { EntityChange } from '../src/lib/server/authoring/plan-diff';
import { listInWords, plural, pluralize } from '../src/lib/utils/format';
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

const ABANDON_OPTION = '--abandonner';

const USAGE = `Usage : npm run plan:import -- plan.xlsx [--dry-run] [--reason "…"] [--abandonner 17-2,9-1] [--creer]
Lit un classeur au format de /donnees/plan.xlsx, dit ce qui changerait et, sans --dry-run, l’applique en une fois avec la raison donnée. Une fiche absente du classeur est abandonnée, définitivement : l’import est refusé tant que --abandonner ne nomme pas chacune de ces fiches (leurs codes séparés par des virgules). Une base (DATABASE_PATH) qui n’existe pas est refusée, sauf avec --creer (elle est alors créée vide, et le classeur devient son plan).`;

function parseArgs(argv: string[]): {
	file: string;
	dryRun: boolean;
	reason: string | null;
	abandon: string[];
	missing: MissingDatabase;
} {
	let file: string | null = null;
	let dryRun = false;
	let missing: MissingDatabase = 'refuse';
	let reason: string | null = null;
	let abandon: string[] = [];
	if (asksForHelp(argv)) printUsage(USAGE);
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === '--dry-run') dryRun = true;
		else if (arg === CREATE_OPTION) missing = 'create';
		else if (arg === '--reason' || arg.startsWith('--reason=')) {
			reason = arg.startsWith('--reason=') ? arg.slice(9) : (argv[++i] ?? null);
			if (reason === null) throw new UsageError('L’option --reason attend une phrase.');
		} else if (arg === ABANDON_OPTION || arg.startsWith(`${ABANDON_OPTION}=`)) {
			const codes = arg === ABANDON_OPTION ? argv[++i] : arg.slice(ABANDON_OPTION.length + 1);
			abandon = (codes ?? '')
				.split(',')
				.map((code) => code.trim())
				.filter((code) => code !== '');
			if (abandon.length === 0)
				throw new UsageError(
					`L’option ${ABANDON_OPTION} attend les codes des fiches à abandonner, séparés par des virgules (par exemple ${ABANDON_OPTION} 17-2,9-1).`
				);
		} else if (arg.startsWith('-'))
			throw new UsageError(
				`Option inconnue « ${arg} » (options possibles : --dry-run, --reason, --abandonner, --creer ; --aide pour l’usage).`
			);
		else if (file) throw new UsageError('Indiquez un seul classeur à importer.');
		else file = arg;
	}
	if (!file)
		throw new UsageError(
			'Indiquez le classeur à importer : npm run plan:import -- plan.xlsx [--dry-run] [--reason "…"]'
		);
	return { file, dryRun, reason, abandon, missing };
}

/**
 * Why the import may not abandon these fiches (left out of the workbook) with the codes given to
 * --abandonner: each must be named, and only they (a typo must not pass for a confirmation).
 */
function abandonRefusal(abandoned: string[], named: string[]): string | null {
	const unnamed = abandoned.filter((code) => !named.includes(code));
	if (unnamed.length > 0)
		return `Ce classeur abandonnerait ${plural(abandoned.length, 'la fiche', 'les fiches')} ${listInWords(abandoned)}, ${plural(abandoned.length, 'absente', 'absentes')} du classeur : un abandon ne se défait pas. Pour ${plural(abandoned.length, 'l’abandonner', 'les abandonner')}, ajoutez ${ABANDON_OPTION} ${abandoned.join(',')} ; rien n’a été modifié.`;
	const extra = named.filter((code) => !abandoned.includes(code));
	if (extra.length > 0)
		return `${ABANDON_OPTION} nomme ${listInWords(extra)}, que ce classeur n’abandonne pas (${abandoned.length === 0 ? 'il n’abandonne aucune fiche' : `il abandonne ${listInWords(abandoned)}`}) : rien n’a été modifié.`;
	return null;
}

runCommand(async () => {
	const { file, dryRun, reason, abandon, missing } = parseArgs(process.argv.slice(2));
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
				`Le classeur n’est pas valable, rien n’a été modifié (${preview.problems.length} ${plural(preview.problems.length, 'problème', 'problèmes')}) :\n${preview.problems.map((p) => `- ${p}`).join('\n')}\n${importProblemsSummary(preview)}\n`
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
		const abandoned = preview.changes
			.filter((c) => c.entity === 'fiche' && c.action === 'retired')
			.map((c) => c.key);
		if (dryRun) {
			if (abandoned.length > 0)
				process.stdout.write(
					`${plural(abandoned.length, 'Fiche abandonnée', 'Fiches abandonnées')}, définitivement : ${listInWords(abandoned)} (l’import le demande confirmé par ${ABANDON_OPTION} ${abandoned.join(',')}).\n`
				);
			process.stdout.write('Essai à blanc (--dry-run) : rien n’a été modifié.\n');
			return;
		}
		const refusal = abandonRefusal(abandoned, abandon);
		if (refusal) exitWithError(refusal);
		const why = reason ?? (preview.creates ? initialLoadReason(basename(file)) : null);
		if (!why)
			exitWithError(
				'Indiquez la raison de ces modifications avec --reason "…" (elle accompagne chaque révision publiée) ; rien n’a été modifié.'
			);
		// The very changes listed above (the abandonments confirmed), or nothing.
		const applied = await applyPlanImport(db, bytes, {
			reason: why,
			actor: null,
			confirmedDigest: preview.digest,
			abandonConfirmed: true
		});
		if (!applied.ok) exitWithError(`${applied.message} Rien n’a été modifié.`);
		process.stdout.write(
			`Import terminé : ${pluralize(applied.value.changes.length, 'élément enregistré', 'éléments enregistrés')}, chacun avec une révision « ${why} ».\n`
		);
	} finally {
		await db.destroy();
	}
});
