import { parisDate } from '../../utils/dates';
import { typedText } from '../../schemas/form';
import { ImportReasonSchema } from '../../schemas/plan-import';
import { abandonUnconfirmed } from '../../schemas/retire';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { formatDate, formatNumber, listInWords, plural, pluralize } from '../../utils/format';
import { indicatorValueProblem } from '../../utils/indicator-kinds';
import { foldForMatching, organisationNameKey, organisationSkeleton } from '../../utils/text';
import {
	DOWNLOAD_PLAN_AGAIN,
	measurementsRead,
	publishedMeasurementsMeaning,
	STRUCTURE_LABELS,
	unitWords
} from '../../utils/vocabulary';
import { recordAudit } from '../audit/repository';
import { readTransaction, StartupError, type Db, type Executor } from '../db';
import { refreshSearchText } from '../plan/repository';
import { ok, refuse, type FieldChange, type Refusal, type Result } from '../result';
import {
	addOrganisationAlias,
	dropOtherAliasesNamed,
	releaseOrganisationName,
	listFicheStatuses,
	listFicheEventsAfter,
	listRetiredFicheCodes,
	listRetiredIndicators,
	listRetiredStructureKeys,
	listRetiredOrganisations,
	listLiveOrganisationNames,
	loadLatestValues,
	loadPlanIds,
	loadPlanModel,
	planExists,
	nextFicheVersion,
	replaceFicheRelations,
	abandonFicheFromWorkbook,
	retireIndicator,
	saveAxis,
	saveFiche,
	saveIndicator,
	saveObjective,
	saveOrganisation,
	saveOrientation,
	savePlanInfo,
	setPosition,
	setPositionsAside,
	type PlanIds
} from './import-repository';
import { countFieldChanges, diffPlans, type EntityChange, type PlanDiff } from './plan-diff';
import { ficheTitleTaken } from './fiches';
import { organisationNameLookalike, organisationNameTaken } from './organisations';
import { fieldChange, reviseMovedFiches } from './structure';
import { listOrganisationsNamed } from './organisations-repository';
import { countMeasurements, findIndicatorId, listIndicatorValues } from './repository';
import { INDICATOR_KIND_CELLS, type PlanModel, type RetiredOrganisation } from './plan-model';
import {
	insertRevision,
	latestRevision,
	listFicheMoves,
	listRevisionsAfter
} from './revisions-repository';
import {
	revisionWhenAndWho,
	structureAddedSinceExport,
	whenAndWho,
	type RevisionAfter
} from './since-export';
import {
	cappedProblems,
	describeProblem,
	editedLatestRows,
	readPlanWorkbook,
	unlocatedProblem,
	SHEETS,
	writePlanWorkbook,
	type OrganisationRows,
	type UndatedBaseline,
	type WorkbookProblem,
	type WorkbookReading
} from './workbook';

/**
 * The plan in and out of a spreadsheet: the workbook of the current plan (public file, export
 * command), and the import (command, admin page, PLAN_FILE): read and check every row, say what
 * would change, and apply it only when asked — every change a revision with the reason, one audit
 * entry, one transaction. A workbook that does not validate changes nothing.
 */

/**
 * The largest workbook accepted: the Lot plan's weighs about 40 Ko; forms are limited to 512 Ko
 * (adapter-node's BODY_SIZE_LIMIT), so the upload page and the command share this limit.
 */
export const MAX_WORKBOOK_BYTES = 400 * 1024;

/**
 * What is wrong with a workbook's file before it is read, or null: empty, or over
 * MAX_WORKBOOK_BYTES — `size` undefined when the server stopped reading it (BODY_SIZE_LIMIT). The
 * upload page says it under its file field, naming the file; the command and a preview as the
 * workbook's one problem.
 */
export function workbookFileProblem(size: number | undefined, name = ''): string | null {
	const file = name ? `Le fichier « ${name} »` : 'Le fichier';
	const limit = `un classeur du plan en pèse au plus ${MAX_WORKBOOK_BYTES / 1024} Ko`;
	if (size === undefined) return `${file} est trop lourd : ${limit}.`;
	if (size === 0) return `${file} est vide (0 octet) : choisissez le classeur du plan (.xlsx).`;
	if (size > MAX_WORKBOOK_BYTES) return `${file} pèse ${Math.ceil(size / 1024)} Ko : ${limit}.`;
	return null;
}

export const NO_CHANGE = 'Aucune modification : le classeur est identique au plan actuel.';

/** The workbook of the current plan (npm run plan:export). */
export async function exportPlanWorkbook(db: Executor): Promise<Uint8Array> {
	return (await planWorkbookFile(db)).body;
}

/**
 * The workbook of the current plan and when published data last changed (GET /donnees/plan.xlsx,
 * whose Last-Modified it is).
 */
export async function planWorkbookFile(
	db: Executor
): Promise<{ body: Uint8Array; publishedAt: string | null }> {
	// One state of the plan (readTransaction): a colleague's save landing between these reads would
	// give a workbook whose revision says it holds that save while its rows are older, and whose
	// import would then undo it unseen.
	// One after the other: a read that failed ends the transaction, and none may go on after it.
	const [model, latest, revision] = await readTransaction(db, async (reads) => [
		await loadPlanModel(reads),
		await loadLatestValues(reads),
		await latestRevision(reads)
	]);
	const body = await writePlanWorkbook(model, latest, revision.id);
	return { body, publishedAt: revision.publishedAt };
}

export interface ImportPreview {
	/** The problems found, each one French sentence naming sheet, row and column. */
	problems: string[];
	/**
	 * How many of the problems are rows changed in the portal since the workbook's export (a row
	 * edited, a fiche abandoned, a priority decided since: changedSinceExport, and the diff's
	 * problems marked `outOfDate`): for those the plan is to be downloaded again, not the workbook
	 * corrected.
	 */
	outOfDate: number;
	/**
	 * How many problems were found: `problems` lists MAX_PROBLEMS of them at most, then a line
	 * saying how many more (cappedProblems), the comparison's of a partly refused workbook too.
	 */
	problemCount: number;
	changes: EntityChange[];
	fieldCount: number;
	/** Whether the database has no plan yet (the import creates it). */
	creates: boolean;
	/** Fingerprint of the file and of the change list shown: the confirmation must match it. */
	digest: string;
	/** Fiches the import would retire while creating one of the same title (recodedFiches). */
	recoded: RecodedFiche[];
	/** What the workbook holds that the import leaves aside (edited latest values). */
	notices: string[];
}

interface Checked {
	model: PlanModel;
	changes: EntityChange[];
	problems: string[];
	/** How many problems are rows changed in the portal since the workbook's export. */
	outOfDate: number;
	/** How many problems were found (`problems` may end on a line saying how many more). */
	problemCount: number;
	creates: boolean;
	/** The plan before the import (null when the file could not be read). */
	current: PlanModel | null;
	notices: string[];
}

/** A fiche retired by an import that creates, under another code, a fiche of the same title. */
export interface RecodedFiche {
	former: string;
	code: string;
}

/**
 * A fiche's code changed in the workbook is, for the import, a fiche retired and another created:
 * the new one starts without the old one's updates, measurements and decisions. A fiche is moved
 * with its history from its form; the preview names each such pair so that nobody does it by
 * mistake.
 */
function recodedFiches(
	current: PlanModel,
	next: PlanModel,
	changes: EntityChange[]
): RecodedFiche[] {
	// The same title as the fiche form reads it (a twin title, createFiche).
	const titles = (fiches: PlanModel['fiches']) =>
		new Map(fiches.map((f) => [f.code, foldForMatching(f.title)]));
	const before = titles(current.fiches);
	const after = titles(next.fiches);
	const keys = (action: EntityChange['action']) =>
		changes.filter((c) => c.entity === 'fiche' && c.action === action).map((c) => c.key);
	const created = keys('created');
	return keys('retired').flatMap((former) => {
		const code = created.find((c) => after.get(c) === before.get(former));
		return code === undefined ? [] : [{ former, code }];
	});
}

/**
 * A retired organisation stays on the fiches that named it (the export names it there, and an
 * unchanged workbook reads back as it was), but is given to no other fiche or role: such a row
 * would bring it back on the public pages, and one merged into another apart from it again. Each
 * problem is on its row; one merged or retired since the workbook's export (`since`: when and by
 * whom, see leftSinceExport) is the plan changed since, not the person's mistake (`outOfDate`).
 */
function retiredOrganisationProblems(
	current: PlanModel,
	model: PlanModel,
	rows: OrganisationRows,
	since: LeftSinceExport
): WorkbookProblem[] {
	const listed = new Set(model.organisations.map((o) => o.slug));
	const afterExport = (said: string, when: string) => ({
		message: `${said} ${when}, après l’export de ce classeur, qui en a l’ancienne version`,
		outOfDate: true as const
	});
	const merge = (o: RetiredOrganisation, then: string) => {
		const said = `l’organisation « ${o.name} » a été fusionnée dans « ${o.mergedInto} »`;
		const when = since.merged.get(o.name);
		return when === undefined ? { message: `${said} : ${then}` } : afterExport(said, when);
	};
	// Listed again in « Organisations », a retired organisation comes back to the plan; one merged
	// into another does not (its name is that other's former name now).
	const relisted = (model.retiredOrganisations ?? [])
		.filter((o) => listed.has(o.slug) && o.mergedInto)
		.map((o) => ({
			sheet: SHEETS.organisations.name,
			row: rows.listed.get(o.slug) ?? null,
			column: SHEETS.organisations.columns[0]!.header,
			...merge(o, 'retirez sa ligne')
		}));
	// Named on a fiche: one retired and left out of the sheet, or one merged since the export,
	// listed there or not (the merge gave its rows to the one kept: each row naming it is the plan
	// changed since, where it was said of the fiche with no row).
	const mergedSince = mergedSinceExport(model, since);
	const retired = new Map(
		(model.retiredOrganisations ?? [])
			.filter((o) => !listed.has(o.slug) || mergedSince.has(o.slug))
			.map((o) => [o.slug, o])
	);
	const retiredSince = (o: RetiredOrganisation) => {
		const said = `l’organisation « ${o.name} »`;
		const when = since.retired.get(o.slug);
		return when === undefined
			? {
					message: `${said} est retirée du plan : nommez une organisation de la feuille « ${SHEETS.organisations.name} », ou remettez-la dans cette feuille pour la rendre au plan`
				}
			: afterExport(`${said} a été retirée du plan`, when);
	};
	const had = new Set(current.people.map((p) => `${p.fiche} ${p.role} ${p.organisation}`));
	return [
		...relisted,
		...model.people
			.filter(
				(p) => retired.has(p.organisation) && !had.has(`${p.fiche} ${p.role} ${p.organisation}`)
			)
			.map((p) => {
				const organisation = retired.get(p.organisation)!;
				return {
					sheet: SHEETS.people.name,
					row: rows.people.get(p) ?? null,
					column: SHEETS.people.columns[2]!.header,
					...(organisation.mergedInto
						? merge(organisation, 'nommez celle-ci')
						: retiredSince(organisation))
				};
			})
	];
}

/** The identifiers of the organisations the workbook names that were merged since its export. */
const mergedSinceExport = (model: PlanModel, since: LeftSinceExport) =>
	new Set(
		(model.retiredOrganisations ?? [])
			.filter((o) => o.mergedInto && since.merged.has(o.name))
			.map((o) => o.slug)
	);

/**
 * The fiches on which the workbook names an organisation merged since its export: the merge's
 * change of their owners or partners is said on those rows (retiredOrganisationProblems).
 */
function fichesNamingMerged(model: PlanModel, since: LeftSinceExport): Set<string> {
	const merged = mergedSinceExport(model, since);
	return new Set(model.people.filter((p) => merged.has(p.organisation)).map((p) => p.fiche));
}

/** Nothing to compare: the problems found before the comparison, and how many. */
const NOTHING_CHECKED = {
	model: null as unknown as PlanModel,
	changes: [],
	outOfDate: 0,
	creates: false,
	current: null,
	notices: []
};

/**
 * Problems found before the comparison (the reading's, capped by it), and how many: the reading's
 * count, not its list's length (« Et N autres problèmes » is N of them, not one).
 */
const refusedBeforeComparing = (problems: string[], problemCount = problems.length): Checked => ({
	...NOTHING_CHECKED,
	problems,
	problemCount
});

/**
 * The workbook read and compared with the plan: every problem of the reading and of the
 * comparison, or the changes it makes, with what the preview says beside them.
 */
async function check(db: Executor, bytes: Uint8Array): Promise<Checked> {
	const reading = await readWithinLimits(db, bytes);
	if (!('ok' in reading)) return reading;
	if (!reading.ok && !reading.partial)
		return refusedBeforeComparing(reading.problems.map(capitalised), reading.problemCount);
	const read = reading.ok ? reading : reading.partial!;
	// Read once: what changed in the portal since the export, for every comparison below.
	const since = await readSinceExport(db, read.exportedRevision);
	const { current, creates, diff } = await compareWithPlan(db, read, since);
	const undated = undatedBaselineChecks(read.undatedBaselines, diff.changes);
	// A workbook read with refused cells: its indicator rows refused are not compared (a refused
	// « Nature » reads as another nature, not as a change the person made).
	const refusedIndicators = reading.ok ? new Set<string>() : refusedIndicatorKeys(reading.partial!);
	const compared = diff.changes.filter(
		(c) => c.entity !== 'indicator' || !refusedIndicators.has(c.key)
	);
	const left = leftSinceExport(since);
	const outdated = changedSinceExport(
		since,
		compared,
		fichesNamingMerged(read.model, left),
		rowOfChange(read)
	);
	const meaning = await indicatorMeaningChecks(db, read.model, compared);
	const retired = retiredOrganisationProblems(current, read.model, read.organisationRows, left);
	const twins = twinTitleProblems(current, read.model, read.ficheRows);
	const names = await organisationNameProblems(
		db,
		since.ids,
		current,
		read.model,
		read.organisationRows.listed
	);
	if (!reading.ok)
		return refusedWithRowsBeside(reading.partial!.problems, diff, undated, {
			twins,
			organisations: [...retired, ...names],
			checks: meaning.problems,
			outdated
		});
	const problems = [
		...diff.problems.map(capitalised),
		...undated.problems.map(capitalised),
		...retired.map(capitalised),
		...twins.map(capitalised),
		...names.map(capitalised),
		...meaning.problems,
		...outdated.map(capitalised)
	];
	return {
		model: reading.model,
		changes: diff.changes,
		// Capped as the reading's are: a workbook every row of which differs does not list them all.
		problems: cappedProblems(problems, (message) => capitalised(unlocatedProblem(message))),
		outOfDate: [...diff.problems, ...retired, ...outdated].filter((p) => p.outOfDate).length,
		problemCount: problems.length,
		creates,
		current,
		notices: [
			...undated.notices,
			...nameTakenNotices(current, reading.model),
			...meaning.notices,
			...latestValueNotices(
				editedLatestRows(reading.shownLatest, reading.model, await loadLatestValues(db))
			)
		]
	};
}

/** The indicators (« fiche#N ») whose row of a partly refused workbook holds a refused cell. */
function refusedIndicatorKeys(partial: {
	problems: WorkbookProblem[];
	shownLatest: { row: number; fiche: string; position: number }[];
}): Set<string> {
	const rows = new Set(
		partial.problems.filter((p) => p.sheet === SHEETS.indicators.name).map((p) => p.row)
	);
	return new Set(
		partial.shownLatest.filter((i) => rows.has(i.row)).map((i) => `${i.fiche}#${i.position}`)
	);
}

/** The workbook as read, or refused when too large or when its reading takes too long. */
async function readWithinLimits(
	db: Executor,
	bytes: Uint8Array
): Promise<WorkbookReading | Checked> {
	const fileProblem = workbookFileProblem(bytes.length);
	if (fileProblem) return refusedBeforeComparing([fileProblem]);
	const retiredOrganisations = await listRetiredOrganisations(db);
	const withdrawn = await listRetiredStructureKeys(db);
	const abandoned = new Set(await listRetiredFicheCodes(db));
	// An organisation the workbook renames may be named by its name today on its other rows, and
	// one renamed since the export by its former name.
	const organisations = await listLiveOrganisationNames(db);
	const reading = await oneWorkbookAtATime(() =>
		readPlanWorkbook(bytes, retiredOrganisations, withdrawn, abandoned, organisations)
	).catch(() => null);
	return (
		reading ??
		refusedBeforeComparing([
			'La lecture du classeur n’a pas abouti (plus de 30 secondes) : rien n’a été importé. Enregistrez-le de nouveau depuis votre tableur, ou repartez du classeur téléchargé depuis le portail.'
		])
	);
}

/** The plan as read (rows refused aside) compared with the plan today. */
async function compareWithPlan(
	db: Executor,
	read: { model: PlanModel; ficheRows: Map<string, number>; exportedRevision: number | null },
	since: SinceExport
) {
	const [current, retiredFiches, retiredIndicators, statuses, moves, creates] = await Promise.all([
		loadPlanModel(db),
		listRetiredFicheCodes(db),
		listRetiredIndicators(db),
		listFicheStatuses(db),
		listFicheMoves(db),
		planExists(db).then((exists) => !exists)
	]);
	// Latest move first: a code's first entry is where its address leads.
	const formerCodes = new Map<string, string>();
	for (const move of moves)
		if (!formerCodes.has(move.formerCode)) formerCodes.set(move.formerCode, move.code);
	// Read with refusals too: a fiche abandoned since is told as out of date, not as unknown.
	const exported = read.exportedRevision;
	// A code the workbook still gives a fiche that moved after its export: out of date, not a new fiche.
	const movedSinceExport = new Set(
		moves.filter((m) => exported !== null && m.revision > exported).map((m) => m.formerCode)
	);
	const { ids } = since;
	const diff = diffPlans(current, read.model, {
		ficheRows: read.ficheRows,
		retiredFiches,
		retiredIndicators,
		statuses,
		formerCodes,
		movedSinceExport,
		indicatorIds: ids.indicators,
		structureAddedSinceExport: structureAddedSinceExport(since.added, ids),
		...(await ficheEventsSinceExport(db, exported, since))
	});
	return { current, creates, diff };
}

/**
 * A workbook with refused cells: the reading's problems, then those the comparison finds on the
 * rows read well (rowProblemsBeside), then those about organisations (merged or retired, a name
 * taken: on their rows, whichever cell is refused), then those of the comparison checks that name
 * no row (a row changed in the portal since the export: `outdated`), listed up to the limit, the
 * reading's first, all counted; those that come from the plan changed since the export are counted
 * as such (`outOfDate`), as for a workbook read without refusal.
 */
function refusedWithRowsBeside(
	found: WorkbookProblem[],
	diff: PlanDiff,
	undated: ReturnType<typeof undatedBaselineChecks>,
	compared: {
		twins: WorkbookProblem[];
		organisations: WorkbookProblem[];
		checks: string[];
		outdated: WorkbookProblem[];
	}
): Checked {
	const beside = [
		...rowProblemsBeside([...diff.problems, ...undated.problems, ...compared.twins], found),
		...compared.organisations,
		...compared.outdated
	];
	const all = [...found, ...beside, ...compared.checks.map(unlocatedProblem)];
	return {
		...refusedBeforeComparing(cappedProblems(all, unlocatedProblem).map(capitalised), all.length),
		outOfDate: beside.filter((p) => p.outOfDate).length
	};
}

/**
 * A fiche the workbook adds or retitles under the title of another fiche it keeps (compared with
 * foldForMatching: capitals, accents, spaces and punctuation aside) is refused, as the form that
 * adds a fiche refuses it (createFiche); twins the plan has already stay, and the title of a fiche
 * the workbook leaves out (abandoned by the import) may be taken again, as in the form.
 */
function twinTitleProblems(
	current: PlanModel,
	next: PlanModel,
	ficheRows: Map<string, number>
): WorkbookProblem[] {
	const titleToday = new Map(current.fiches.map((f) => [f.code, foldForMatching(f.title)]));
	const titles = next.fiches.map((f) => foldForMatching(f.title));
	const made = (i: number) => titleToday.get(next.fiches[i]!.code) !== titles[i];
	return next.fiches.flatMap((fiche, i) => {
		if (titles[i] === '' || !made(i)) return [];
		// The first of two fiches the workbook makes alike stands; the second is refused.
		const twin = next.fiches.findIndex(
			(_, j) => j !== i && titles[j] === titles[i] && (!made(j) || j < i)
		);
		if (twin === -1) return [];
		return [
			{
				sheet: SHEETS.fiches.name,
				row: ficheRows.get(fiche.code) ?? null,
				column: 'Titre',
				message: `${ficheTitleTaken(next.fiches[twin]!.code)} (capitales, accents, espaces et ponctuation mis à part) : pour une autre fiche, donnez-lui un autre titre`
			}
		];
	});
}

/**
 * A new or renamed organisation whose name another organisation bears or bore (compared as the
 * admin form does, `organisationNameKey`), one retired or left out of the sheet, is refused with the
 * form's message, which names that other one; unless the workbook renames that other one too (two
 * organisations swapping their names). Another's former name is refused as the form refuses it: a
 * merged organisation's name « ne pourra plus être donné à une autre organisation » (the merge's
 * form), and a former name leads to its organisation's fiches in the search of `/fiches`. A merged
 * organisation listed again is said as merged (retiredOrganisationProblems), not here as well. A
 * new identifier under the name an organisation left out of the sheet bears is that organisation's
 * identifier changed: refused on its cell, with the one it has (changedIdentifier).
 */
async function organisationNameProblems(
	db: Executor,
	ids: PlanIds,
	current: PlanModel,
	next: PlanModel,
	rows: Map<string, number>
): Promise<WorkbookProblem[]> {
	const nameToday = new Map(current.organisations.map((o) => [o.slug, o.name]));
	const keyNext = new Map(next.organisations.map((o) => [o.slug, organisationNameKey(o.name)]));
	const slugs = new Map([...ids.organisations].map(([slug, id]) => [id, slug]));
	const merged = new Set(
		(next.retiredOrganisations ?? []).filter((o) => o.mergedInto).map((o) => o.slug)
	);
	const problems: WorkbookProblem[] = [];
	for (const o of next.organisations) {
		// An empty name is a refused cell of a partly read workbook (said by the reading).
		if (nameToday.get(o.slug) === o.name || o.name === '' || merged.has(o.slug)) continue;
		const other = (await listOrganisationsNamed(db, o.name)).find((r) => {
			const slug = slugs.get(r.id)!;
			if (slug === o.slug) return false;
			// Its former name stays its own, whatever the sheet names it now.
			if (r.alias !== r.name) return true;
			return !(keyNext.has(slug) && keyNext.get(slug) !== keyNext.get(o.slug));
		});
		const where = { sheet: SHEETS.organisations.name, row: rows.get(o.slug) ?? null };
		const former = other && changedIdentifier(o.slug, slugs.get(other.id)!, other, current, next);
		if (former) {
			problems.push({ ...where, column: SHEETS.organisations.columns[0]!.header, message: former });
			continue;
		}
		const lookalike = other ? undefined : await lookalikeOrganisation(db, o, next, slugs);
		const problem = other
			? organisationNameTaken(other)
			: lookalike && organisationNameLookalike(o.name, lookalike);
		if (problem)
			problems.push({
				...where,
				column: SHEETS.organisations.columns[1]!.header,
				message: problem
			});
	}
	return problems;
}

/**
 * Said of a new identifier (`slug`) whose row bears the name an organisation of the plan has today
 * (`other`, whose identifier is `otherSlug`), when the sheet lists that one no more: its identifier
 * changed, which the import does not do (it names the organisation in its page's address and in
 * the commands; the row would add another organisation, taking its fiches), or null.
 */
function changedIdentifier(
	slug: string,
	otherSlug: string,
	other: { name: string; alias: string },
	current: PlanModel,
	next: PlanModel
): string | null {
	const has = (list: { slug: string }[], wanted: string) => list.some((o) => o.slug === wanted);
	const left =
		other.alias === other.name &&
		has(current.organisations, otherSlug) &&
		!has(next.organisations, otherSlug);
	const known = has([...current.organisations, ...(current.retiredOrganisations ?? [])], slug);
	if (!left || known) return null;
	return `l’identifiant d’une organisation ne change pas : celui de « ${other.name} » est « ${otherSlug} » (l’adresse de sa page, /organisations/${otherSlug}), remettez-le`;
}

/**
 * Another organisation whose name or former name the new or renamed `o` looks like without being
 * it (`organisationSkeleton`: « ЕРМ » in Cyrillic letters beside « EPM »), as the admin form refuses
 * (`listOrganisationsNamed`, former names included): one of the sheet under its name there, or
 * under a former name (its name today, when the sheet renames it, becomes one), or one left out of
 * the sheet (retired, merged) under its own names. `o`'s own former names are its own.
 */
async function lookalikeOrganisation(
	db: Executor,
	o: PlanModel['organisations'][number],
	next: PlanModel,
	slugs: Map<number, string>
): Promise<{ name: string; alias: string } | undefined> {
	const looks = organisationSkeleton(o.name);
	const differs = (name: string) =>
		organisationSkeleton(name) === looks &&
		organisationNameKey(name) !== organisationNameKey(o.name);
	const listed = next.organisations.find((other) => other.slug !== o.slug && differs(other.name));
	if (listed) return { name: listed.name, alias: listed.name };
	const nameNext = new Map(next.organisations.map((other) => [other.slug, other.name]));
	for (const r of await listOrganisationsNamed(db, o.name, null, organisationSkeleton)) {
		const slug = slugs.get(r.id)!;
		if (slug === o.slug || !differs(r.alias)) continue;
		const inSheet = nameNext.get(slug);
		if (inSheet === undefined) return r;
		if (r.alias !== r.name || inSheet !== r.name) return { name: inSheet, alias: r.alias };
	}
	return undefined;
}

/**
 * Said beside the preview: an organisation given the name another one bears today. The sheet of
 * owners and partners names organisations by name, so the fiches it lists under that name go to
 * the organisation that takes it, with the right of its accounts to report on them; the change
 * list shows them under the new names only, which is easily misread.
 */
function nameTakenNotices(current: PlanModel, next: PlanModel): string[] {
	const nameToday = new Map(current.organisations.map((o) => [o.slug, o.name]));
	const slugToday = new Map(
		current.organisations.map((o) => [organisationNameKey(o.name), o.slug])
	);
	// Renamed to another's name, or new under another's name.
	const takers = next.organisations.flatMap((o) => {
		const before = nameToday.get(o.slug);
		const from = slugToday.get(organisationNameKey(o.name));
		return before !== o.name && from !== undefined && from !== o.slug
			? [{ slug: o.slug, before, name: o.name, from }]
			: [];
	});
	if (takers.length === 0) return [];
	const involved = new Set(takers.flatMap((t) => [t.slug, t.from]));
	const peopleOf = (model: PlanModel, fiche: string) =>
		model.people
			.filter((p) => p.fiche === fiche && involved.has(p.organisation))
			.map((p) => `${p.role} ${p.organisation}`)
			.sort()
			.join('|');
	const moved = next.fiches
		.map((f) => f.code)
		.filter((code) => peopleOf(current, code) !== peopleOf(next, code));
	const renames = takers.map((t) =>
		t.before === undefined
			? `la nouvelle organisation ${t.slug} s’appellera « ${t.name} »`
			: `« ${t.before} » s’appellera « ${t.name} »`
	);
	const consequence =
		moved.length === 0
			? 'Aucune fiche ne change d’organisation.'
			: `La feuille « ${SHEETS.people.name} » nomme les organisations par leur nom : ${plural(moved.length, 'la fiche', 'les fiches')} ${listInWords(moved)} ${plural(moved.length, 'change', 'changent')} donc d’organisation (les changements ci-dessous donnent l’identifiant de chacune), et les comptes de la nouvelle organisation en rendront compte. Pour ne changer que les noms, écrivez aussi les nouveaux noms dans la feuille « ${SHEETS.people.name} ».`;
	const taken = plural(
		takers.length,
		'un nom que porte aujourd’hui une autre organisation',
		'des noms que portent aujourd’hui d’autres organisations'
	);
	const sentence = `${listInWords(renames)}, ${taken}.`;
	return [`${sentence.charAt(0).toUpperCase()}${sentence.slice(1)} ${consequence}`];
}

/**
 * The indicator rows with a « Valeur de départ » and no date: refused when the row is new or
 * changes its baseline or that date, as the fiche's form refuses them; an indicator stored so
 * before that rule, its baseline unchanged, is said beside the preview (an unchanged export
 * always reads back).
 */
function undatedBaselineChecks(
	rows: UndatedBaseline[],
	changes: EntityChange[]
): { problems: WorkbookProblem[]; notices: string[] } {
	const changed = new Map(changes.filter((c) => c.entity === 'indicator').map((c) => [c.key, c]));
	const problems: WorkbookProblem[] = [];
	const kept: number[] = [];
	for (const row of rows) {
		const change = changed.get(`${row.fiche}#${row.position}`);
		const touched =
			change?.action === 'created' ||
			change?.columns?.some((column) => column === 'baseline' || column === 'baseline_date');
		if (touched)
			problems.push({
				sheet: SHEETS.indicators.name,
				row: row.row,
				column: SHEETS.indicators.columns[8].header,
				message: 'une valeur de départ demande sa date'
			});
		else kept.push(row.row);
	}
	if (kept.length === 0) return { problems, notices: [] };
	const said = plural(
		kept.length,
		'la valeur de départ n’a pas de date (enregistrée avant que le portail la demande). Elle est importée sans changement ; donnez-lui sa date',
		'ces valeurs de départ n’ont pas de date (enregistrées avant que le portail la demande). Elles sont importées sans changement ; donnez-leur leur date'
	);
	const notice = `Feuille « ${SHEETS.indicators.name} », ${plural(kept.length, 'ligne', 'lignes')} ${rowList(kept)} : ${said}, dans le classeur ou dans le formulaire de la fiche, qui la demandera à son prochain enregistrement.`;
	return { problems, notices: [notice] };
}

/** « 4 », « 4 et 9 », « 4, 7 et 9 ». */
const rowList = (rows: number[]) => listInWords(rows.map(String));

/** Said beside the preview: the latest values edited in the workbook are not imported. */
function latestValueNotices(rows: number[]): string[] {
	if (rows.length === 0) return [];
	const where = `${plural(rows.length, 'ligne', 'lignes')} ${rowList(rows)}`;
	return [
		`Feuille « ${SHEETS.indicators.name} », ${where} : la « Dernière valeur » et sa date ne sont pas importées, ${plural(rows.length, 'la modification est ignorée', 'les modifications sont ignorées')}. Une mesure se saisit dans une mise à jour de la fiche, validée par l’équipe.`
	];
}

/**
 * Of the problems found by comparing a workbook read with refusals to the plan, those of rows read
 * without one (a priority changed, a code of an abandoned fiche): told with the refusals, where they
 * came only with the next upload (listed after them up to the list's limit, counted beyond it). A
 * problem of no row (a sheet's missing line) could come from a refused row and waits for a
 * workbook read without refusal, unless it is the plan changed since the export (an axis added
 * since, which the workbook never had: `outOfDate`).
 */
function rowProblemsBeside(
	found: WorkbookProblem[],
	refusals: WorkbookProblem[]
): WorkbookProblem[] {
	const refusedRows = new Set(refusals.map((p) => `${p.sheet}\u0000${p.row}`));
	return found.filter((p) =>
		p.row === null ? p.outOfDate : !refusedRows.has(`${p.sheet}\u0000${p.row}`)
	);
}

let workbookReads: Promise<unknown> = Promise.resolve();

/**
 * Reads one workbook at a time: ExcelJS holds a whole workbook in memory (up to tens of megabytes
 * for one the guard lets through), and a few read at once by several tabs or a script stopped a
 * server given 160 MB (security probe). The others wait their turn.
 */
export function oneWorkbookAtATime<T>(
	read: () => Promise<T>,
	limitMs = WORKBOOK_READ_LIMIT_MS
): Promise<T> {
	const bounded = () => {
		let timer: ReturnType<typeof setTimeout> | undefined;
		// A read that never ends (a fault of the reader on some file) must not hold every later
		// import until a restart: its turn ends, and its caller is told.
		const late = new Promise<never>((_, reject) => {
			timer = setTimeout(
				() => reject(new Error('La lecture du classeur n’a pas abouti.')),
				limitMs
			);
		});
		return Promise.race([read(), late]).finally(() => clearTimeout(timer));
	};
	const turn = workbookReads.then(bounded, bounded);
	workbookReads = turn.catch(() => undefined);
	return turn;
}

/** How long one workbook's reading may hold the others (the Lot's plan reads in well under 1 s). */
const WORKBOOK_READ_LIMIT_MS = 30_000;

/**
 * A workbook exported before someone changed the plan in the portal (or imported another workbook)
 * holds the former version of what they changed: importing it would undo their change without a
 * word. Each row the import would change, and that was changed since the export, is refused with
 * who changed it and when; the other rows are not the problem, but nothing is applied until the
 * workbook is exported again. A workbook that does not say its revision (made by hand, or saved
 * by a tool that drops the file's properties) is compared with the plan as it is, as before. A
 * fiche changed last by a merge, whose rows name the organisation merged (`toldOnRows`), is said on
 * those rows instead (retiredOrganisationProblems).
 */
function changedSinceExport(
	{ revisions, ids, latest, added }: SinceExport,
	changes: EntityChange[],
	toldOnRows: Set<string>,
	rowOf: (change: EntityChange) => number | null
): WorkbookProblem[] {
	if (revisions.length === 0 || changes.length === 0) return [];
	return changes.flatMap((change) => {
		if (change.action === 'created') return [];
		const id = entityIdOf(ids, change);
		if (id === undefined) return [];
		const addition = added.get(`${change.entity}:${id}`);
		const revision = latest.get(`${change.entity}:${id}`);
		// A fiche changed last by a merge, its rows naming the organisation merged: said on them.
		if (revision?.action === 'merged' && change.entity === 'fiche' && toldOnRows.has(change.key))
			return [];
		const message = addition
			? addedSinceExportProblem(change, addition)
			: revision && changedSinceExportProblem(change, revision);
		if (!message) return [];
		const sheet = SHEETS[SHEET_OF_ENTITY[change.entity]].name;
		return [{ sheet, row: rowOf(change), column: null, message, outOfDate: true as const }];
	});
}

/** The sheet of the workbook that holds each kind of record. */
const SHEET_OF_ENTITY = {
	plan: 'plan',
	axis: 'axes',
	orientation: 'orientations',
	objective: 'objectives',
	organisation: 'organisations',
	fiche: 'fiches',
	indicator: 'indicators'
} as const satisfies Record<EntityChange['entity'], keyof typeof SHEETS>;

/**
 * The row of the workbook that holds a change's fiche, organisation or indicator, as read; null for
 * one the workbook lacks (added since its export), and for the plan and its structure, whose rows
 * the reading does not keep.
 */
function rowOfChange(read: {
	ficheRows: Map<string, number>;
	organisationRows: OrganisationRows;
	shownLatest: { row: number; fiche: string; position: number }[];
}): (change: EntityChange) => number | null {
	const indicators = new Map(read.shownLatest.map((i) => [`${i.fiche}#${i.position}`, i.row]));
	const rows: Partial<Record<EntityChange['entity'], Map<string, number>>> = {
		fiche: read.ficheRows,
		organisation: read.organisationRows.listed,
		indicator: indicators
	};
	return (change) => rows[change.entity]?.get(change.key) ?? null;
}

/**
 * What changed in the portal since the workbook's export, read once per check for every comparison
 * with it: the revisions recorded after the export, latest first (none when it does not say its
 * revision), the plan's ids today, and each row's latest revision and the one that added it
 * (latestRevisionOfRows).
 */
interface SinceExport extends ReturnType<typeof latestRevisionOfRows> {
	revisions: RevisionAfter[];
	ids: PlanIds;
}

async function readSinceExport(db: Executor, exported: number | null): Promise<SinceExport> {
	const revisions = exported === null ? [] : await listRevisionsAfter(db, exported);
	const ids = await loadPlanIds(db);
	return { revisions, ids, ...latestRevisionOfRows(revisions, ids) };
}

/** The id in the database of the row a change is of (the plan's is 1), if it has one. */
function entityIdOf(ids: PlanIds, change: EntityChange): number | undefined {
	switch (change.entity) {
		case 'plan':
			return 1;
		case 'axis':
			return ids.axes.get(change.key);
		case 'orientation':
			return ids.orientations.get(change.key);
		case 'objective':
			return ids.objectives.get(Number(change.key));
		case 'organisation':
			return ids.organisations.get(change.key);
		case 'fiche':
			return ids.fiches.get(change.key);
		case 'indicator':
			return ids.indicators.get(change.key);
	}
}

/**
 * Each row's latest revision among `revisions` (latest first: the first revision of a row is its
 * latest change), by « entity:id », and the revision that added it, for a row added since
 * (`added`). The fiche's form records its indicators' changes in the fiche's revision (fields
 * « indicator.<id>.<field> », and « indicator.new.<N° given> » for one it adds): each is also a
 * change of that indicator.
 */
function latestRevisionOfRows(revisions: RevisionAfter[], ids: PlanIds) {
	const codes = new Map([...ids.fiches].map(([code, id]) => [id, code]));
	const indicatorOf = (ficheId: number, field: string) => {
		const [, ref, n] = /^indicator\.(new\.)?(\d+)(?:\.|$)/.exec(field) ?? [];
		if (n === undefined) return undefined;
		const id = ref ? ids.indicators.get(`${codes.get(ficheId)}#${n}`) : Number(n);
		return id === undefined ? undefined : { key: `indicator:${id}`, added: ref !== undefined };
	};
	const latest = new Map<string, RevisionAfter>();
	const added = new Map<string, RevisionAfter>();
	for (const revision of revisions) {
		const keys = [
			{ key: `${revision.entity}:${revision.entityId}`, added: revision.action === 'created' }
		];
		if (revision.entity === 'fiche')
			for (const { field } of JSON.parse(revision.changes) as { field: string }[]) {
				const indicator = indicatorOf(revision.entityId, field);
				if (indicator) keys.push(indicator);
			}
		for (const { key, added: addition } of keys) {
			if (!latest.has(key)) latest.set(key, revision);
			if (addition) added.set(key, revision);
		}
	}
	return { latest, added };
}

/** « Fiche 5-1 — … » as said after the sheet and row (capitalised again when alone). */
const lowerFirst = (title: string) => title.charAt(0).toLowerCase() + title.slice(1);

/**
 * A change refused for a revision recorded after the workbook's export: who, when. What to do
 * (download the plan again) is said once, above the problems (importProblemsSummary).
 */
function changedSinceExportProblem(change: EntityChange, revision: RevisionAfter): string {
	return `${lowerFirst(change.title)} : une modification en a été enregistrée ${revisionWhenAndWho(revision)}, après l’export de ce classeur, qui en a l’ancienne version : l’importer la déferait.`;
}

/**
 * A change refused for a row added after the workbook's export, which the workbook never had: left
 * out of it, the import would abandon the fiche or retire the indicator; a row of the same code
 * typed in it would replace what was added.
 */
function addedSinceExportProblem(change: EntityChange, revision: RevisionAfter): string {
	const when = revisionWhenAndWho(revision);
	if (change.action !== 'retired')
		return `${lowerFirst(change.title)} : ajout enregistré ${when}, après l’export de ce classeur, qui ne l’avait pas : la ligne du classeur au même code en remplacerait le contenu.`;
	const [added, undone] =
		change.entity === 'fiche' ? ['ajoutée', 'l’abandonnerait'] : ['ajouté', 'le retirerait'];
	return `${lowerFirst(change.title)} : ${added} ${when}, après l’export de ce classeur : ce classeur, qui ne l’a pas, ${undone}.`;
}

/**
 * The fiches abandoned, or whose priority a sitting changed, and the indicators retired, since the
 * workbook's export (none when it does not say its revision): said as a workbook out of date, with
 * when and by whom.
 */
async function ficheEventsSinceExport(
	db: Executor,
	exported: number | null,
	since: SinceExport
): Promise<{
	abandonedSinceExport: Map<string, string>;
	prioritySinceExport: Map<string, string>;
	retiredSinceExport: Map<string, string>;
}> {
	const abandonedSinceExport = new Map<string, string>();
	const prioritySinceExport = new Map<string, string>();
	if (exported === null)
		return { abandonedSinceExport, prioritySinceExport, retiredSinceExport: new Map() };
	const events = await listFicheEventsAfter(db, exported);
	for (const { code, at, by } of events.abandoned)
		if (!abandonedSinceExport.has(code)) abandonedSinceExport.set(code, whenAndWho(at, by));
	for (const { code, heldOn } of events.priority)
		if (!prioritySinceExport.has(code))
			prioritySinceExport.set(code, `par la séance du ${formatDate(heldOn)}`);
	const retiredSinceExport = indicatorStatesSinceExport(since);
	return { abandonedSinceExport, prioritySinceExport, retiredSinceExport };
}

/**
 * The organisations that left the plan since the workbook's export (none when it does not say its
 * revision), with when and by whom: merged, by name (the merge's revision, on the organisation
 * kept, names the one absorbed: `merged`, its name before, the kept one's after, a name no other
 * organisation may take since); retired, by identifier (the latest retirement's revision).
 */
interface LeftSinceExport {
	merged: Map<string, string>;
	retired: Map<string, string>;
}

function leftSinceExport({ revisions, ids }: SinceExport): LeftSinceExport {
	const left = { merged: new Map<string, string>(), retired: new Map<string, string>() };
	if (revisions.length === 0) return left;
	const slugs = new Map([...ids.organisations].map(([slug, id]) => [id, slug]));
	for (const revision of revisions) {
		if (revision.entity !== 'organisation') continue;
		const when = whenAndWho(revision.createdAt, revision.userName);
		const slug = slugs.get(revision.entityId);
		// Latest first: a retirement's latest day is kept.
		if (revision.action === 'retired' && slug !== undefined && !left.retired.has(slug))
			left.retired.set(slug, when);
		for (const { field, before } of JSON.parse(revision.changes) as FieldChange[])
			if (field === 'merged') left.merged.set(before, when);
	}
	return left;
}

/**
 * The indicators whose state (in service, retired) changed since the workbook's export, by
 * « fiche#N », the latest change's day and author: the fiche's form records it in the fiche's
 * revision (`indicator.<id>.state`), an import in the indicator's (`retired` before December 2026).
 * Of an indicator retired now, the retirement.
 */
function indicatorStatesSinceExport({ revisions, ids }: SinceExport): Map<string, string> {
	const keys = new Map([...ids.indicators].map(([key, id]) => [id, key]));
	const changed = new Map<string, string>();
	for (const revision of revisions)
		for (const { field } of JSON.parse(revision.changes) as { field: string }[]) {
			const state = /^indicator\.(\d+)\.state$/.exec(field)?.[1];
			const id =
				state !== undefined
					? Number(state)
					: revision.entity === 'indicator' && field === 'retired'
						? revision.entityId
						: undefined;
			const key = id === undefined ? undefined : keys.get(id);
			if (key !== undefined && !changed.has(key))
				changed.set(key, whenAndWho(revision.createdAt, revision.userName));
		}
	return changed;
}

/**
 * What an indicator's new kind or unit does to the values it already received, as the fiche's
 * form says it: a new kind is refused once measurements are published (they are read in it) or
 * when the values submitted do not fit it; a new unit of an indicator with published measurements
 * is said beside the preview, which the import's confirmation then accepts.
 */
async function indicatorMeaningChecks(
	db: Executor,
	next: PlanModel,
	changes: EntityChange[]
): Promise<{ problems: string[]; notices: string[] }> {
	const problems: string[] = [];
	const notices: string[] = [];
	for (const change of changes) {
		if (change.entity !== 'indicator' || change.action !== 'updated') continue;
		const [newKind, newUnit] = ['kind', 'unit'].map((c) => change.columns?.includes(c));
		if (!newKind && !newUnit) continue;
		const indicator = next.indicators.find((i) => `${i.fiche}#${i.position}` === change.key);
		const id = indicator && (await findIndicatorId(db, indicator.fiche, indicator.position));
		if (!indicator || id === undefined) continue;
		const where = `Feuille « ${SHEETS.indicators.name} », indicateur ${indicator.position} de la fiche ${indicator.fiche}`;
		const { published, submitted } = await countMeasurements(db, id);
		const misfits = newKind
			? (await listIndicatorValues(db, id)).filter(
					(value) => indicatorValueProblem(indicator.kind, value) !== null
				)
			: [];
		if (newKind && published > 0)
			problems.push(
				`${where}, colonne « Nature » : il a ${publishedMeasurementsMeaning(published)}. Retirez-le et ajoutez un nouvel indicateur.`
			);
		else if (misfits.length > 0)
			problems.push(
				`${where}, colonne « Nature » : il a déjà reçu ${plural(misfits.length, 'une valeur qui ne convient', 'des valeurs qui ne conviennent')} pas à la nature « ${INDICATOR_KIND_CELLS[indicator.kind]} » (${misfits.slice(0, 3).map(formatNumber).join(' ; ')}${misfits.length > 3 ? '…' : ''}) : gardez sa nature, ou retirez-le et ajoutez un nouvel indicateur.`
			);
		const unit = change.changes.find((c) => c.field.endsWith('.unit'));
		const read = published + submitted;
		if (newUnit && unit && read > 0)
			notices.push(
				`${where}, colonne « Unité » : ${submitted === 0 ? plural(published, 'sa mesure publiée se lira', `ses ${pluralize(published, 'mesure publiée', 'mesures publiées')} se liront`) : `il a ${measurementsRead(published, submitted)} : ${plural(read, 'elle se lira', 'elles se liront')}`} ${unitWords(unit.after)} et non plus ${unitWords(unit.before)}. Confirmez l’import seulement si c’est bien ce ${plural(read, 'qu’elle mesure', 'qu’elles mesurent')} ; sinon, gardez son unité, ou retirez-le et ajoutez un nouvel indicateur.`
			);
	}
	return { problems, notices };
}

function capitalised(problem: Parameters<typeof describeProblem>[0]): string {
	const text = describeProblem(problem);
	return text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? '' : '.');
}

function digestOf(bytes: Uint8Array, changes: EntityChange[]): string {
	return createHash('sha256').update(bytes).update(JSON.stringify(changes)).digest('hex');
}

/** Reads and checks a workbook and says what it would change. Writes nothing. */
export async function previewPlanImport(db: Executor, bytes: Uint8Array): Promise<ImportPreview> {
	const checked = await check(db, bytes);
	return {
		problems: checked.problems,
		outOfDate: checked.outOfDate,
		problemCount: checked.problemCount,
		changes: checked.problems.length > 0 ? [] : checked.changes,
		fieldCount: countFieldChanges({ changes: checked.changes, problems: [] }),
		creates: checked.creates,
		digest: digestOf(bytes, checked.changes),
		recoded:
			checked.current && checked.problems.length === 0
				? recodedFiches(checked.current, checked.model, checked.changes)
				: [],
		notices: checked.problems.length === 0 ? checked.notices : []
	};
}

/**
 * The sentence above a preview's problems (null without any): « N problèmes à corriger dans le
 * tableur, puis envoyez le classeur de nouveau. » — or, when they all come from changes made in
 * the portal since the export (of whatever kind: `outOfDate` counts them), to download the plan
 * again and report the changes there; both when some do and others do not —, naming the file
 * when it is known. Counts all of them, beyond the MAX_PROBLEMS listed too.
 */
export function importProblemsSummary(
	preview: Pick<ImportPreview, 'problems' | 'problemCount' | 'outOfDate'>,
	fileName = ''
): string | null {
	if (preview.problems.length === 0) return null;
	const named = fileName ? `« ${fileName} » : ` : '';
	const total = preview.problemCount;
	const others = total - preview.outOfDate;
	const downloadAgain = `${DOWNLOAD_PLAN_AGAIN}, reportez-y vos modifications`;
	return preview.outOfDate === 0
		? `${named}${pluralize(total, 'problème à corriger', 'problèmes à corriger')} dans le tableur, puis envoyez le classeur de nouveau.`
		: others === 0
			? `${named}${pluralize(total, 'problème', 'problèmes')} : le plan a été modifié dans le portail depuis l’export de ce classeur. ${downloadAgain}, puis envoyez ce nouveau classeur.`
			: `${named}${pluralize(total, 'problème', 'problèmes')} : le plan a été modifié dans le portail depuis l’export de ce classeur (${pluralize(preview.outOfDate, 'problème en vient', 'problèmes en viennent')}), et ${pluralize(others, 'autre problème est à corriger', 'autres problèmes sont à corriger')}. ${downloadAgain} en corrigeant aussi ${plural(others, 'l’autre problème', 'les autres problèmes')}, puis envoyez ce nouveau classeur.`;
}

export interface ImportRequest {
	reason: string;
	actor: { id: number; name: string } | null;
	/** Who acted when no account did (the journal's label): the command, or the start-up. */
	actorLabel?: string;
	clientAddress?: string | null;
	/** The digest of the preview the person confirmed: refused if the file or the plan changed. */
	confirmedDigest?: string;
	/**
	 * Whether the abandonment of the fiches left out of the workbook is confirmed: the page's box
	 * ticked, the command's --abandonner naming each. False refuses an import that abandons any.
	 */
	abandonConfirmed: boolean;
	now?: Date;
}

export interface ImportOutcome {
	changes: EntityChange[];
	fieldCount: number;
	created: boolean;
}

/**
 * Applies a workbook: checked again, compared with the plan as it is now, written in one
 * transaction with a revision per changed record (origin « import », the reason given) and one
 * audit entry. Nothing is written if anything is wrong.
 */
export async function applyPlanImport(
	db: Db,
	bytes: Uint8Array,
	request: ImportRequest
): Promise<Result<ImportOutcome>> {
	// Checked as the page checks it: the command's --reason reaches only this.
	const read = ImportReasonSchema.safeParse(typedText(request.reason));
	if (!read.success) {
		const message = read.error.issues[0]!.message;
		return refuse(400, message, { fieldErrors: { reason: message } });
	}
	const reason = read.data;
	const now = request.now ?? new Date();
	try {
		return await importInTransaction(db, bytes, request, reason, now);
	} catch (error) {
		// A rule of the database the checks above did not foresee: refused, the transaction undone.
		const code = (error as { code?: string } | null)?.code;
		if (code?.startsWith('SQLITE_CONSTRAINT'))
			return refuse(
				409,
				`Le classeur n’a pas été importé : ${
					code === 'SQLITE_CONSTRAINT_UNIQUE'
						? 'deux éléments du plan y porteraient le même nom ou le même code'
						: 'il contredit une règle du plan'
				}. Rien n’a été modifié.`
			);
		throw error;
	}
}

/**
 * An import checked, compared and written in one transaction: refused as importRefusal says, else
 * its changes written (writeChanges), the search text made anew and one journal line (auditImport).
 */
async function importInTransaction(
	db: Db,
	bytes: Uint8Array,
	request: ImportRequest,
	reason: string,
	now: Date
): Promise<Result<ImportOutcome>> {
	return db.transaction().execute(async (trx) => {
		const checked = await check(trx, bytes);
		const refusal = importRefusal(checked, bytes, request);
		if (refusal) return refusal;
		const fieldCount = countFieldChanges({ changes: checked.changes, problems: [] });
		if (checked.changes.length === 0) return ok({ changes: [], fieldCount: 0, created: false });
		await writeChanges(trx, checked, reason, request, now);
		await refreshSearchText(trx);
		await auditImport(trx, checked.changes, fieldCount, reason, request, now);
		return ok({ changes: checked.changes, fieldCount, created: checked.creates });
	});
}

/**
 * Why a workbook checked is not imported, if it is not: a problem of its own (the first told), the
 * plan changed since the preview confirmed (`confirmedDigest`), fiches abandoned unconfirmed.
 */
function importRefusal(
	checked: Checked,
	bytes: Uint8Array,
	request: ImportRequest
): Refusal | null {
	if (checked.problems.length > 0)
		return refuse(
			400,
			`Le classeur n’a pas été importé : ${pluralize(checked.problemCount, 'problème', 'problèmes')}. ${checked.problems[0]}`
		);
	if (
		request.confirmedDigest !== undefined &&
		request.confirmedDigest !== digestOf(bytes, checked.changes)
	)
		return refuse(
			409,
			'Le plan a changé depuis l’aperçu : rien n’a été importé. Vérifiez de nouveau la liste des modifications.'
		);
	const abandoned = checked.changes
		.filter((c) => c.entity === 'fiche' && c.action === 'retired')
		.map((c) => c.key);
	if (!request.abandonConfirmed && abandoned.length > 0) {
		const message = abandonUnconfirmed(abandoned);
		return refuse(400, message, { fieldErrors: { confirm: message } });
	}
	return null;
}

/** The import's one journal line: how many records and fields it changed, why, and which. */
async function auditImport(
	trx: Executor,
	changes: EntityChange[],
	fieldCount: number,
	reason: string,
	request: ImportRequest,
	now: Date
): Promise<void> {
	await recordAudit(
		trx,
		{
			actor: request.actor,
			actorLabel: request.actorLabel ?? 'commande plan:import',
			action: 'plan.imported',
			target: { type: 'plan', id: 1 },
			summary: `Import du classeur du plan : ${pluralize(changes.length, 'élément', 'éléments')}, ${pluralize(fieldCount, 'champ modifié', 'champs modifiés')} — ${reason}`,
			after: changes.map((c) => ({
				entity: c.entity,
				key: c.key,
				action: c.action,
				fields: c.columns ?? c.changes.map((f) => f.field)
			})),
			clientAddress: request.clientAddress ?? null
		},
		now
	);
}

/** What every step of an import's writing shares: the transaction, the plan read, the ids. */
interface Writing {
	trx: Executor;
	model: PlanModel;
	changes: EntityChange[];
	/** The plan before the import (null when the database had none). */
	current: PlanModel | null;
	/** The database ids of the plan's records by key, completed as records are added. */
	ids: PlanIds;
	/** The id of each change's record, for its revision. */
	entityIds: Map<EntityChange, number>;
	/** The change of one record, if the import changes it. */
	changed: (entity: EntityChange['entity'], key: string) => EntityChange | undefined;
	reason: string;
	request: ImportRequest;
	now: Date;
	stamp: string;
}

/** The writes of an import, in the order the foreign keys need, then the revisions. */
async function writeChanges(
	trx: Executor,
	{ model, changes, current }: Pick<Checked, 'model' | 'changes' | 'current'>,
	reason: string,
	request: ImportRequest,
	now: Date
): Promise<void> {
	const w: Writing = {
		trx,
		model,
		changes,
		current,
		ids: await loadPlanIds(trx),
		entityIds: new Map(),
		changed: (entity, key) => changes.find((c) => c.entity === entity && c.key === key),
		reason,
		request,
		now,
		stamp: now.toISOString()
	};
	await writePlanInfo(w);
	await writeOrganisations(w);
	await writeStructure(w);
	// As from their forms: the fiches of a moved objective, and of an orientation moved to another
	// axis, each say so in their own list (before the fiches this import adds exist).
	for (const change of changes) await reviseFichesOfMove(w, change);
	await writeFiches(w);
	await writeIndicators(w);
	await retireLeftOut(w);
	await writeRevisions(w);
}

async function writePlanInfo({ trx, model, changed, entityIds }: Writing): Promise<void> {
	const planChange = changed('plan', 'plan');
	if (!planChange || !model.plan) return;
	await savePlanInfo(trx, model.plan, planChange.action !== 'created');
	entityIds.set(planChange, 1);
}

async function writeOrganisations({
	trx,
	model,
	changed,
	ids,
	entityIds,
	stamp
}: Writing): Promise<void> {
	const newNames = new Set(model.organisations.map((o) => organisationNameKey(o.name)));
	// Renamed organisations first give up their names, so that two may swap them.
	for (const organisation of model.organisations) {
		const id = ids.organisations.get(organisation.slug);
		const change = changed('organisation', organisation.slug);
		if (id !== undefined && change?.changes.some((c) => c.field === 'name'))
			await releaseOrganisationName(trx, id);
	}
	for (const organisation of model.organisations) {
		const change = changed('organisation', organisation.slug);
		if (!change) continue;
		const id = ids.organisations.get(organisation.slug);
		const rename = change.changes.find((c) => c.field === 'name');
		const saved = await saveOrganisation(trx, id, organisation);
		// The former name stays findable, unless another organisation takes it (a swap): it names
		// that one now, and an alias would forbid both to be edited in the portal's form. For the
		// same reason, a name saved here is no longer another organisation's former name (one given
		// is refused as such, organisationNameProblems; one kept may be, from before that rule).
		if (id !== undefined && rename && !newNames.has(organisationNameKey(rename.before)))
			await addOrganisationAlias(trx, id, rename.before, stamp);
		await dropOtherAliasesNamed(trx, organisation.name, saved);
		ids.organisations.set(organisation.slug, saved);
		entityIds.set(change, saved);
	}
}

/** The axes, orientations and objectives, each at its rank in its sheet. */
async function writeStructure({
	trx,
	model,
	changes,
	changed,
	ids,
	entityIds
}: Writing): Promise<void> {
	const movingAxes = changes.flatMap((c) =>
		c.entity === 'axis' && c.changes.some((f) => f.field === 'position') && ids.axes.has(c.key)
			? [ids.axes.get(c.key)!]
			: []
	);
	await setPositionsAside(trx, 'axis', movingAxes);
	// An orientation added from its form goes after all the others (max + 1), one moved to another
	// axis keeps its position: positions may then not be the ranks the sheet lists them at (axis
	// order, then position). When any orientation changes, each is put back at its rank.
	const orientationsChange = changes.some((c) => c.entity === 'orientation');
	if (orientationsChange)
		await setPositionsAside(
			trx,
			'orientation',
			model.orientations.flatMap((o) => ids.orientations.get(o.code) ?? [])
		);
	for (const [position, axis] of model.axes.entries()) {
		const change = changed('axis', axis.code);
		if (!change) continue;
		const saved = await saveAxis(trx, ids.axes.get(axis.code), axis, position + 1);
		ids.axes.set(axis.code, saved);
		entityIds.set(change, saved);
	}
	for (const [position, orientation] of model.orientations.entries()) {
		const change = changed('orientation', orientation.code);
		const id = ids.orientations.get(orientation.code);
		if (!change && orientationsChange && id !== undefined)
			await setPosition(trx, 'orientation', id, position + 1);
		if (!change) continue;
		const saved = await saveOrientation(
			trx,
			ids.orientations.get(orientation.code),
			orientation,
			ids.axes.get(orientation.axis)!,
			position + 1
		);
		ids.orientations.set(orientation.code, saved);
		entityIds.set(change, saved);
	}
	for (const objective of model.objectives) {
		const change = changed('objective', String(objective.number));
		if (!change) continue;
		const saved = await saveObjective(
			trx,
			ids.objectives.get(objective.number),
			objective,
			ids.orientations.get(objective.orientation)!
		);
		ids.objectives.set(objective.number, saved);
		entityIds.set(change, saved);
	}
}

/** The label of a record of a list by its code, or the code itself. */
const labelIn = (list: { code: string; label: string }[], code: string) =>
	list.find((x) => x.code === code)?.label ?? code;

/** The axis of an orientation of a list by its code. */
const axisOf = (list: { code: string; axis: string }[] | undefined, code: string) =>
	list?.find((o) => o.code === code)?.axis;

/**
 * A moved objective's, or orientation's, fiches: each gets a revision saying its new place (as from
 * their forms), grouped by the parent each objective's fiches had before the import.
 */
async function reviseFichesOfMove(w: Writing, change: EntityChange): Promise<void> {
	if (change.action !== 'moved') return;
	if (change.entity !== 'objective' && change.entity !== 'orientation') return;
	const ofObjective = change.entity === 'objective';
	const parent = change.changes.find((c) => c.field === (ofObjective ? 'orientation' : 'axis'));
	if (!parent) return;
	const { model, current } = w;
	const axisChange = ofObjective ? objectiveAxisChange(w, parent) : null;
	for (const [before, objectiveIds] of objectivesByFormerParent(w, change, parent))
		await reviseMovedFiches(
			w.trx,
			objectiveIds,
			[
				{
					...parent,
					before: labelIn((ofObjective ? current?.orientations : current?.axes) ?? [], before),
					after: labelIn(ofObjective ? model.orientations : model.axes, parent.after)
				},
				...(axisChange ? [axisChange] : [])
			],
			{
				reason: w.reason,
				decisionId: null,
				origin: 'import',
				userId: w.request.actor?.id ?? null,
				createdAt: w.stamp
			}
		);
}

/**
 * The ids of the objectives a move takes along, by the parent their fiches had before the import:
 * an objective this workbook also moves into the orientation came from its own orientation's axis,
 * not this one's.
 */
function objectivesByFormerParent(
	{ model, current, ids }: Writing,
	change: EntityChange,
	parent: FieldChange
): Map<string, number[]> {
	const ofObjective = change.entity === 'objective';
	const byBefore = new Map<string, number[]>();
	for (const objective of ofObjective
		? [Number(change.key)]
		: model.objectives.filter((o) => o.orientation === change.key).map((o) => o.number)) {
		const was = current?.objectives.find((o) => o.number === objective)?.orientation;
		const before = ofObjective
			? parent.before
			: (current?.orientations.find((o) => o.code === was)?.axis ?? parent.before);
		if (before === parent.after) continue;
		byBefore.set(before, [...(byBefore.get(before) ?? []), ids.objectives.get(objective)!]);
	}
	return byBefore;
}

/**
 * An objective moved into an orientation of another axis changes its fiches' axis too, unless this
 * workbook also moves that orientation: its own move then says so, from their axis. An orientation
 * this workbook adds has no move of its own. Axes compared by code: one renamed by the same
 * workbook is still the same axis.
 */
function objectiveAxisChange({ model, current }: Writing, parent: FieldChange): FieldChange | null {
	const newAxis = axisOf(model.orientations, parent.after);
	const wasOn = axisOf(current?.orientations, parent.after);
	const oldAxis = axisOf(current?.orientations, parent.before);
	return newAxis !== undefined &&
		oldAxis !== undefined &&
		oldAxis !== newAxis &&
		(wasOn === undefined || wasOn === newAxis)
		? fieldChange(
				'axis',
				STRUCTURE_LABELS.orientation.axis,
				labelIn(current?.axes ?? [], oldAxis),
				labelIn(model.axes, newAxis)
			)
		: null;
}

/** The fields of a fiche kept in other tables than its own row. */
const RELATION_FIELDS = ['owners', 'partners', 'links'];

/** The fiches added or changed, then their owners, partners and links (which name other fiches). */
async function writeFiches({ trx, model, changed, ids, entityIds }: Writing): Promise<void> {
	const ficheChanges = model.fiches.flatMap((fiche) => {
		const change = changed('fiche', fiche.code);
		return change ? [{ fiche, change }] : [];
	});
	for (const { fiche, change } of ficheChanges) {
		const own = change.changes.some((c) => !RELATION_FIELDS.includes(c.field));
		const id = ids.fiches.get(fiche.code);
		// Its owners, partners or links alone: written below, the fiche's version moved on here.
		const saved =
			own || id === undefined
				? await saveFiche(trx, id, fiche, ids.objectives.get(fiche.objective)!)
				: (await nextFicheVersion(trx, id), id);
		ids.fiches.set(fiche.code, saved);
		entityIds.set(change, saved);
	}
	for (const { fiche, change } of ficheChanges) {
		if (
			change.action !== 'created' &&
			!change.changes.some((c) => RELATION_FIELDS.includes(c.field))
		)
			continue;
		await replaceFicheRelations(
			trx,
			ids.fiches.get(fiche.code)!,
			model.people
				.filter((p) => p.fiche === fiche.code)
				.map((p) => ({
					role: p.role,
					organisationId: ids.organisations.get(p.organisation)!,
					detail: p.detail,
					note: p.note
				})),
			model.links.filter((l) => l.fiche === fiche.code).map((l) => ids.fiches.get(l.linked)!)
		);
	}
}

async function writeIndicators({ trx, model, changed, ids, entityIds }: Writing): Promise<void> {
	for (const indicator of model.indicators) {
		const key = `${indicator.fiche}#${indicator.position}`;
		const change = changed('indicator', key);
		if (!change) continue;
		const saved = await saveIndicator(
			trx,
			ids.indicators.get(key),
			indicator,
			ids.fiches.get(indicator.fiche)!,
			change.columns ?? []
		);
		entityIds.set(change, saved);
	}
}

/** The fiches the workbook leaves out, abandoned, and the indicators it leaves out, retired. */
async function retireLeftOut({
	trx,
	changes,
	ids,
	entityIds,
	reason,
	now,
	stamp
}: Writing): Promise<void> {
	// The day a fiche the workbook left out is abandoned: in Paris, as every day the portal shows.
	const day = parisDate(now);
	for (const change of changes) {
		if (change.action !== 'retired') continue;
		if (change.entity === 'fiche') {
			const id = ids.fiches.get(change.key)!;
			await abandonFicheFromWorkbook(trx, id, reason, day);
			entityIds.set(change, id);
		} else if (change.entity === 'indicator') {
			const id = ids.indicators.get(change.key)!;
			await retireIndicator(trx, id, stamp);
			entityIds.set(change, id);
		}
	}
}

/** A revision per change (origin « import », the reason given). */
async function writeRevisions({
	trx,
	changes,
	ids,
	entityIds,
	reason,
	request,
	stamp
}: Writing): Promise<void> {
	for (const change of changes)
		await insertRevision(trx, {
			entity: change.entity,
			entityId: entityIds.get(change)!,
			ficheId: change.fiche ? (ids.fiches.get(change.fiche) ?? null) : null,
			action: change.action,
			// An indicator's lines are its fiche form's (compareIndicators): the preview's, recorded.
			changes: change.changes,
			reason,
			decisionId: null,
			origin: 'import',
			userId: request.actor?.id ?? null,
			createdAt: stamp
		});
}

/** The reason the revisions of a plan loaded from a file give. */
export function initialLoadReason(fileName: string): string {
	return `Chargement du plan depuis le classeur « ${fileName} »`.slice(0, 500);
}

/**
 * PLAN_FILE: creates the plan of an empty database from a workbook (does nothing, returns false,
 * when the database already has a plan). A workbook that does not validate stops the start with
 * its problems in French.
 */
export async function seedPlanFromWorkbook(db: Db, path: string): Promise<boolean> {
	if (await planExists(db)) return false;
	let bytes: Uint8Array;
	try {
		bytes = new Uint8Array(await readFile(path));
	} catch {
		throw new StartupError(
			`PLAN_FILE vaut « ${path} », fichier illisible : indiquez le chemin d’un classeur du plan (.xlsx).`
		);
	}
	const applied = await applyPlanImport(db, bytes, {
		reason: initialLoadReason(basename(path)),
		actor: null,
		actorLabel: 'démarrage (PLAN_FILE)',
		// An empty database: no fiche to abandon, none confirmed.
		abandonConfirmed: false
	});
	if (!applied.ok) {
		const { problems } = await previewPlanImport(db, bytes);
		const shown = problems.slice(0, 5).join(' ');
		throw new StartupError(
			`Le classeur PLAN_FILE « ${path} » n’a pas pu être chargé (${pluralize(problems.length, 'problème', 'problèmes')}) : ${shown || applied.message}`
		);
	}
	return true;
}
