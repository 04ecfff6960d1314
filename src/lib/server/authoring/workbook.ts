import type { StructureLevel } from '../../schemas/plan-structure';
import type ExcelJS from 'exceljs';
import { TEXT_MAX_LENGTH } from '../../schemas/limits';
import {
	characterCount,
	forbiddenCharacter,
	LINE_BREAK,
	showsNothing,
	typedText
} from '../../schemas/form';
import type { ZodType } from 'zod';
import {
	ficheSchema,
	indicatorLabel,
	listedRowText,
	repeatedIndicatorLabel,
	repeatedOrganisationProblem,
	rowText
} from '../../schemas/plan-edit';
import { OrganisationSchema } from '../../schemas/organisation';
import { STRUCTURE_SCHEMAS } from '../../schemas/plan-structure';
import {
	indicatorValueReadingProblem,
	readIndicatorValue,
	TOO_MANY_DECIMALS,
	TOO_MANY_WHOLE_DIGITS
} from '../../schemas/progress-update';
import {
	excerpt,
	FICHE_CODE_PATTERN,
	foldForMatching,
	MAX_FICHE_NUMBER,
	mixedScripts,
	organisationNameKey
} from '../../utils/text';
import {
	ORGANISATION_KIND_LABELS,
	ORGANISATION_KINDS,
	PRIORITIES,
	type OrganisationKind
} from '../../utils/vocabulary';
import type { IndicatorKind } from '../db/schema';
import {
	formatDate,
	formatExactNumber,
	formatNumber,
	formatNumberInput,
	formatScientific,
	plural,
	pluralize,
	listInWords
} from '../../utils/format';
import { indicatorDateProblems } from '../../utils/rules';
import { newWorkbook } from '../spreadsheet';
import { indicatorValueProblem } from '../../utils/indicator-kinds';
import {
	ABANDONED_LINK_RULE,
	emptyPlanModel,
	INDICATOR_KIND_CELLS,
	type PlanModel,
	type RetiredOrganisation
} from './plan-model';
import {
	inspectZip,
	MAX_UNZIPPED_BYTES,
	MAX_WORKBOOK_CELLS,
	MAX_WORKBOOK_ELEMENTS,
	MAX_WORKBOOK_ROWS,
	MAX_ROWS_PER_SHEET,
	unzippedSize
} from './zip-guard';

/**
 * The whole plan as one Excel workbook (.xlsx), both ways: writePlanWorkbook for the public file
 * and the export command, readPlanWorkbook for the import. One sheet per table, French headers on
 * the first row (frozen), one row per record; every cell is checked and every problem is named by
 * its sheet, row and column. Reading writes nothing anywhere.
 */

type CellKind = 'text' | 'long' | 'integer' | 'number' | 'date';

interface Column {
	header: string;
	/**
	 * The value the column holds, named as the admin form's field names it (« le titre de la
	 * fiche », its « Indiquez le titre de la fiche. »): a required cell left empty says it missing.
	 */
	names: string;
	width: number;
	kind: CellKind;
	/** Shown for the reader, ignored by the import (the latest measurement). */
	info?: true;
	/** The most characters a text may have, as in the portal's forms (300, or 10,000 when long). */
	max?: number;
	/**
	 * The portal form's field for this text (its zod schema): a cell is read by its rules, and
	 * refused with its message, so that the workbook and the form accept the same values.
	 */
	field?: ZodType<unknown, string>;
}

interface SheetSpec {
	name: string;
	columns: Column[];
}

const col = (
	header: string,
	names: string,
	width: number,
	kind: CellKind = 'text',
	info?: true
): Column => ({
	header,
	names,
	width,
	kind,
	...(info ? { info } : {})
});
/** A text column read as the form's `field` reads it; `max`: the field's, when not its kind's. */
const formText = (
	header: string,
	names: string,
	width: number,
	field: ZodType<unknown, string>,
	{ max, kind = 'text' }: { max?: number; kind?: CellKind } = {}
): Column => ({ ...col(header, names, width, kind), field, ...(max ? { max } : {}) });
const SHORT_TEXT_MAX = 300;

/** The most characters a text of the column may have, as in the portal's forms. */
function textLimit(column: Column): number {
	return column.max ?? (column.kind === 'long' ? TEXT_MAX_LENGTH : SHORT_TEXT_MAX);
}

/** A cell's text as a problem quotes it: its beginning only (see excerpt), between « ». */
function quoted(text: string): string {
	return `« ${excerpt(text)} »`;
}

const AXIS = STRUCTURE_SCHEMAS.axis.shape;
const ORIENTATION = STRUCTURE_SCHEMAS.orientation.shape;
const OBJECTIVE = STRUCTURE_SCHEMAS.objective.shape;
const ORGANISATION = OrganisationSchema.shape;
const FICHE = ficheSchema.shape;
const LONG = { kind: 'long' } as const;

export const SHEETS = {
	plan: {
		name: 'Plan',
		columns: [
			col('Titre', 'le titre du plan', 50),
			col('Territoire', 'le territoire du plan', 20),
			col('Début', 'l’année de début du plan', 8, 'integer'),
			col('Fin', 'l’année de fin du plan', 8, 'integer'),
			col('Adopté le', 'la date d’adoption du plan', 12, 'date'),
			col('Finalisé le', 'la date de finalisation du plan', 12, 'date'),
			col('Source', 'la source du plan', 60, 'long')
		]
	},
	axes: {
		name: 'Axes',
		columns: [
			col('Code', 'le code de l’axe', 16),
			formText('Nom court', 'le nom court de l’axe', 16, AXIS.short_name, { max: 60 }),
			formText('Intitulé', 'l’intitulé de l’axe', 60, AXIS.label)
		]
	},
	orientations: {
		name: 'Orientations',
		columns: [
			col('Code', 'le code de l’orientation', 24),
			col('Axe', 'l’axe de l’orientation', 16),
			formText('Intitulé', 'l’intitulé de l’orientation', 60, ORIENTATION.label)
		]
	},
	objectives: {
		name: 'Objectifs',
		columns: [
			col('Numéro', 'le numéro de l’objectif', 9, 'integer'),
			col('Orientation', 'l’orientation de l’objectif', 24),
			formText('Intitulé', 'l’intitulé de l’objectif', 70, OBJECTIVE.label),
			formText(
				'Intitulé de synthèse',
				'l’intitulé de synthèse de l’objectif',
				40,
				OBJECTIVE.synthesis_label,
				{ max: 200 }
			)
		]
	},
	organisations: {
		name: 'Organisations',
		columns: [
			col('Identifiant', 'l’identifiant de l’organisation', 28),
			formText('Nom', 'le nom de l’organisation', 40, ORGANISATION.name, { max: 120 }),
			formText('Nom complet', 'le nom complet de l’organisation', 50, ORGANISATION.full_name),
			col('Type', 'le type de l’organisation', 28)
		]
	},
	fiches: {
		name: 'Fiches',
		columns: [
			col('Code', 'le code de la fiche', 7),
			col('Objectif', 'l’objectif de la fiche', 9, 'integer'),
			formText('Titre', 'le titre de la fiche', 50, FICHE.title),
			formText('Titre court', 'le titre court de la fiche', 40, FICHE.short_title, { max: 120 }),
			col('Priorité', 'la priorité de la fiche', 9, 'integer'),
			formText('Contexte', 'le contexte de la fiche', 70, FICHE.context, LONG),
			formText('Existant', 'l’existant de la fiche', 70, FICHE.existing, LONG),
			formText('Description', 'la description de la fiche', 70, FICHE.description, LONG),
			formText(
				'Facteurs clés de succès',
				'la section « Facteurs clés de succès » de la fiche',
				70,
				FICHE.success_factors,
				LONG
			),
			formText(
				'Note sur les porteurs',
				'la note sur les porteurs de la fiche',
				40,
				FICHE.owners_note,
				{ max: 500, kind: 'long' }
			)
		]
	},
	people: {
		name: 'Porteurs et partenaires',
		columns: [
			col('Fiche', 'le code de la fiche', 7),
			col('Rôle', 'le rôle (porteur ou partenaire)', 12),
			col('Organisation', 'l’organisation (son nom ou son identifiant)', 40),
			formText('Précision', 'la précision', 40, listedRowText),
			formText('Note', 'la note', 40, rowText)
		]
	},
	links: {
		name: 'Liens',
		columns: [
			col('Fiche', 'le code de la fiche', 7),
			col('Fiche liée', 'le code de la fiche liée', 10)
		]
	},
	indicators: {
		name: 'Indicateurs',
		columns: [
			col('Fiche', 'le code de la fiche de l’indicateur', 7),
			col('N°', 'le numéro de l’indicateur', 5, 'integer'),
			formText('Libellé', 'l’intitulé de l’indicateur', 60, indicatorLabel),
			formText('Unité', 'l’unité de l’indicateur', 14, rowText),
			col('Nature', 'la nature de l’indicateur', 18),
			col('Cible', 'la cible de l’indicateur', 10, 'number'),
			col('Date de la cible', 'la date de la cible', 14, 'date'),
			col('Valeur de départ', 'la valeur de départ de l’indicateur', 14, 'number'),
			col('Date de la valeur de départ', 'la date de la valeur de départ', 14, 'date'),
			col('Dernière valeur', 'la dernière valeur de l’indicateur', 14, 'number', true),
			col('Date de la dernière valeur', 'la date de la dernière valeur', 14, 'date', true)
		]
	}
} as const satisfies Record<string, SheetSpec>;

export type SheetKey = keyof typeof SHEETS;

/**
 * The most characters any cell of the plan may hold: the longest text field's limit. A longer
 * cell is refused as it is read, before anything else works on it (a cell of millions of
 * characters, in hundreds of cells, held the server for tens of seconds).
 */
const LONGEST_CELL = Math.max(
	...Object.values(SHEETS).flatMap((spec: SheetSpec) => spec.columns.map(textLimit))
);

/**
 * Beyond this many UTF-16 units a text is longer than any cell may be whatever its characters
 * (an emoji is two units, one character): it is refused without counting them (overlongProblem).
 */
const UNCOUNTED_LENGTH = 2 * LONGEST_CELL;

/**
 * A fiche's organisation's part, as the workbook's « Rôle » column writes it: not an account's role
 * (the vocabulary's `ROLE_LABELS`).
 */
const WORKBOOK_ROLE_WORDS = { owner: 'Porteur', partner: 'Partenaire' } as const;

export interface LatestValue {
	date: string;
	value: number;
}

type Cell = string | number | Date | null;

function isoDate(value: string | null): Date | null {
	return value === null ? null : new Date(`${value}T00:00:00Z`);
}

function yesNo(kind: IndicatorKind, value: number | null): Cell {
	if (value === null || kind !== 'boolean') return value;
	return value === 1 ? 'oui' : 'non';
}

function totalWidth(spec: SheetSpec): number {
	return spec.columns.reduce((sum, column) => sum + column.width, 0);
}

/** How many lines a cell's text takes once wrapped in its column (about one character per unit). */
function wrappedLines(cell: Cell, column: Column): number {
	if (typeof cell !== 'string') return 1;
	const perLine = Math.max(1, column.width - 2);
	return cell
		.split('\n')
		.reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / perLine)), 0);
}

/** The rows of each sheet for a plan (the latest measurement of each indicator by « fiche#N »). */
function planRows(model: PlanModel, latest: Map<string, LatestValue>): Record<SheetKey, Cell[][]> {
	// A retired organisation is named by its name too (not in the « Organisations » sheet).
	const orgName = new Map(
		[...(model.retiredOrganisations ?? []), ...model.organisations].map((o) => [o.slug, o.name])
	);
	const p = model.plan;
	return {
		plan: p
			? [
					[
						p.title,
						p.territory,
						p.periodStart,
						p.periodEnd,
						isoDate(p.adoptedOn),
						isoDate(p.finalisedOn),
						p.source
					]
				]
			: [],
		axes: model.axes.map((a) => [a.code, a.shortName, a.label]),
		orientations: model.orientations.map((o) => [o.code, o.axis, o.label]),
		objectives: model.objectives.map((o) => [o.number, o.orientation, o.label, o.synthesisLabel]),
		organisations: model.organisations.map((o) => [
			o.slug,
			o.name,
			o.fullName,
			ORGANISATION_KIND_LABELS[o.kind]
		]),
		fiches: model.fiches.map((f) => [
			f.code,
			f.objective,
			f.title,
			f.shortTitle,
			f.priority,
			f.context,
			f.existing,
			f.description,
			f.successFactors,
			f.ownersNote
		]),
		people: model.people.map((r) => [
			r.fiche,
			WORKBOOK_ROLE_WORDS[r.role],
			orgName.get(r.organisation) ?? r.organisation,
			r.detail,
			r.note
		]),
		links: model.links.map((l) => [l.fiche, l.linked]),
		indicators: model.indicators.map((i) => {
			const last = latest.get(`${i.fiche}#${i.position}`);
			return [
				i.fiche,
				i.position,
				i.label,
				i.unit,
				INDICATOR_KIND_CELLS[i.kind],
				yesNo(i.kind, i.target),
				isoDate(i.targetDate),
				yesNo(i.kind, i.baseline),
				isoDate(i.baselineDate),
				last ? yesNo(i.kind, last.value) : null,
				last ? isoDate(last.date) : null
			];
		})
	};
}

/**
 * The plan as an .xlsx workbook: a sheet per table, French headers in bold on a frozen first row,
 * widths fitted to the content, long texts wrapped, dates as dates (« 01/02/2019 »).
 */
export async function writePlanWorkbook(
	model: PlanModel,
	latest: Map<string, LatestValue> = new Map(),
	revision: number | null = null
): Promise<Uint8Array> {
	const workbook = await newWorkbook();
	workbook.creator = 'Portail SDUSN';
	workbook.title = model.plan?.title ?? 'Plan';
	// The plan's last revision the workbook holds, in its properties (spreadsheets keep them when
	// saving): the import tells apart what was changed in the portal since the export.
	if (revision !== null) workbook.keywords = `${REVISION_KEYWORD}${revision}`;
	const rows = planRows(model, latest);
	for (const key of Object.keys(SHEETS) as SheetKey[]) {
		const spec: SheetSpec = SHEETS[key];
		const sheet = workbook.addWorksheet(spec.name, {
			views: [{ state: 'frozen', ySplit: 1 }],
			// Printed (or saved as PDF): A4 landscape, all columns on the page width, headers repeated.
			// (The fiches, far wider than a page, print over several pages rather than unreadably small.)
			pageSetup: {
				paperSize: 9,
				orientation: 'landscape',
				fitToPage: totalWidth(spec) <= 200,
				fitToWidth: 1,
				fitToHeight: 0,
				printTitlesRow: '1:1'
			}
		});
		const header = sheet.addRow(spec.columns.map((c) => c.header));
		header.font = { bold: true };
		header.alignment = { vertical: 'middle', wrapText: true };
		for (const row of rows[key]) {
			const added = sheet.addRow(row.map((cell) => cell ?? null));
			// Spreadsheets do not grow a row to its wrapped text on opening: its height is given.
			const lines = Math.max(1, ...row.map((cell, i) => wrappedLines(cell, spec.columns[i]!)));
			if (lines > 1) added.height = Math.min(409, lines * 15);
		}
		spec.columns.forEach((column, i) => {
			const target = sheet.getColumn(i + 1);
			target.width = column.width;
			if (column.kind === 'date') target.numFmt = 'dd/mm/yyyy';
			// Text columns stay text when typed in: a code « 4-2 » is not turned into a date, nor a
			// section's line « - premier point » into a formula. (Some old Excel versions show « #### »
			// for a text-formatted cell of more than 255 characters; the text is kept and imported.)
			if (column.kind === 'text' || column.kind === 'long') target.numFmt = '@';
			if (column.kind === 'long' || column.width >= 40)
				target.alignment = { vertical: 'top', wrapText: true };
			else target.alignment = { vertical: 'top' };
		});
		// The headers wrap within their column (set after the columns, whose alignment covers them).
		header.alignment = { vertical: 'bottom', wrapText: true };
		const headerLines = Math.max(
			...spec.columns.map((column) => wrappedLines(column.header, column))
		);
		if (headerLines > 1) header.height = headerLines * 15;
		if (rows[key].length > 0)
			sheet.autoFilter = {
				from: { row: 1, column: 1 },
				to: { row: 1, column: spec.columns.length }
			};
	}
	const buffer = await workbook.xlsx.writeBuffer();
	return new Uint8Array(buffer);
}

const REVISION_KEYWORD = 'sdusn-plan-revision=';

/** The plan's revision a workbook was exported at (writePlanWorkbook), or null if it does not say. */
function exportedRevision(workbook: ExcelJS.Workbook): number | null {
	const match = new RegExp(`(?:^|\\s)${REVISION_KEYWORD}(\\d{1,12})(?:\\s|$)`).exec(
		workbook.keywords ?? ''
	);
	return match ? Number(match[1]) : null;
}

/** A problem found in a workbook, located as a person finds it in a spreadsheet. */
export interface WorkbookProblem {
	sheet: string | null;
	row: number | null;
	column: string | null;
	message: string;
	/**
	 * Set on a row changed in the portal since the workbook's export: the plan is to be downloaded
	 * again, not the workbook corrected (the import page's summary says so).
	 */
	outOfDate?: true;
}

/** « Feuille « Fiches », ligne 4, colonne « Titre » : … » */
export function describeProblem(problem: WorkbookProblem): string {
	const where = [
		problem.sheet ? `Feuille « ${problem.sheet} »` : null,
		problem.row ? `ligne ${problem.row}` : null,
		problem.column ? `colonne « ${problem.column} »` : null
	].filter(Boolean);
	const text = where.length > 0 ? `${where.join(', ')} : ${problem.message}` : problem.message;
	// A refused cell is quoted: its invisible characters that turn the text around (the reason it
	// was refused) would turn the rest of the message around too. Each is shown as « � ».
	return text.replace(/[\u202A-\u202E\u2066-\u2069]/g, '\uFFFD');
}

export type WorkbookReading =
	| {
			ok: true;
			model: PlanModel;
			/** The row of each fiche, by code. */ ficheRows: Map<string, number>;
			organisationRows: OrganisationRows;
			/** The plan's revision the workbook was exported at, when it says (null otherwise). */
			exportedRevision: number | null;
			/** What each indicator row shows as its latest value (not imported: see editedLatestRows). */
			shownLatest: ShownLatest[];
			undatedBaselines: UndatedBaseline[];
	  }
	| {
			ok: false;
			/** MAX_PROBLEMS of the problems at most, then a line saying how many more (cappedProblems). */
			problems: WorkbookProblem[];
			/** How many problems were found: all of them, beyond those listed too. */
			problemCount: number;
			/**
			 * When every sheet and header was readable: the plan as read, rows refused above included
			 * (their refused cells empty), so that the rows read well are still checked against the
			 * plan and every problem is told in one upload.
			 */
			partial?: {
				model: PlanModel;
				ficheRows: Map<string, number>;
				organisationRows: OrganisationRows;
				/** Read as for a workbook read cleanly: the rows read well are compared with it too. */
				exportedRevision: number | null;
				undatedBaselines: UndatedBaseline[];
				/** Each indicator row (its fiche and N°): those refused are not compared. */
				shownLatest: ShownLatest[];
				/** Every problem found, beyond those listed too: the rows refused are not compared. */
				problems: WorkbookProblem[];
			};
	  };

/**
 * Where the organisations are in the workbook: the row of each one in « Organisations », by
 * identifier (`listed`), and the row of each owner or partner of model.people in « Porteurs et
 * partenaires » (`people`).
 */
export interface OrganisationRows {
	listed: Map<string, number>;
	people: Map<PlanModel['people'][number], number>;
}

/**
 * An indicator row with a « Valeur de départ » and no date. The fiche's form demands the date
 * (plan-edit.ts), but an indicator saved before that rule may hold none, and the portal's own
 * export writes it so: the import refuses the row only when it is new or changes its baseline
 * (undatedBaselineChecks, plan-import.ts), and says the others beside the preview.
 */
export interface UndatedBaseline {
	row: number;
	fiche: string;
	position: number;
}

/** An indicator's row, with the latest value and date it shows (columns the import ignores). */
export interface ShownLatest {
	row: number;
	fiche: string;
	position: number;
	value: Cell;
	date: Cell;
}

/** A cell compared the way a person reads it: a day for a date, « 12.5 » for 12,5, « oui ». */
function comparable(cell: Cell): string {
	if (cell === null) return '';
	if (typeof cell === 'number') return String(cell);
	// A day, whether a date or typed as text, as the import reads it (« 31/12/2018 »).
	const day = dayOfCell(cell);
	if (day) return day;
	if (cell instanceof Date) return 'invalid';
	return cell
		.trim()
		.toLowerCase()
		.replace(/[\s\u00a0\u202f]/g, '')
		.replace(',', '.');
}

/**
 * The rows of « Indicateurs » whose « Dernière valeur » or its date differ from the latest
 * validated measurement: the import ignores those columns (a measurement comes from a partner's
 * validated update), so the preview says so instead of « identique ».
 */
export function editedLatestRows(
	shown: ShownLatest[],
	model: PlanModel,
	latest: Map<string, LatestValue>
): number[] {
	const kinds = new Map(model.indicators.map((i) => [`${i.fiche}#${i.position}`, i.kind]));
	return shown
		.filter((s) => {
			const kind = kinds.get(`${s.fiche}#${s.position}`);
			const last = latest.get(`${s.fiche}#${s.position}`);
			const value = last && kind ? yesNo(kind, last.value) : null;
			const date = last ? isoDate(last.date) : null;
			const [found, expected] = [comparable(s.value), comparable(value)];
			const sameValue =
				found === expected ||
				(found !== '' && expected !== '' && Number(found) === Number(expected));
			return !sameValue || comparable(s.date) !== comparable(date);
		})
		.map((s) => s.row);
}

/** Problems beyond this many are summed up in one last line. */
export const MAX_PROBLEMS = 200;

/**
 * At most MAX_PROBLEMS of these problems, then one line saying how many more (« et 12 autres
 * problèmes »), made a problem of the list's kind by `line`: the reading's and the comparison's.
 */
export function cappedProblems<T>(list: T[], line: (message: string) => T): T[] {
	if (list.length <= MAX_PROBLEMS) return list;
	const more = list.length - MAX_PROBLEMS;
	return [
		...list.slice(0, MAX_PROBLEMS),
		line(`et ${pluralize(more, 'autre problème', 'autres problèmes')}`)
	];
}

/** The line cappedProblems adds to a workbook's problems: located nowhere. */
export const unlocatedProblem = (message: string): WorkbookProblem => ({
	sheet: null,
	row: null,
	column: null,
	message
});

/** A workbook refused for these problems: listed as cappedProblems does, all of them counted. */
const refusedReading = (list: WorkbookProblem[]) => ({
	ok: false as const,
	problems: cappedProblems(list, unlocatedProblem),
	problemCount: list.length
});

class Problems {
	list: WorkbookProblem[] = [];
	add(sheet: string | null, row: number | null, column: string | null, message: string): void {
		this.list.push({ sheet, row, column, message });
	}
}

/** One data row: its row number in the sheet and its cells by header. */
interface DataRow {
	number: number;
	cells: Cell[];
	/** The cells of the columns shown for the reader only (`info`), as found; null elsewhere. */
	info: Cell[];
	/** The cells refused as they were read (merged, a formula without result, too long…): said, read as null. */
	unreadable: boolean[];
}

/** The value of a cell as text, number or date; a formula gives its last computed result. */
function cellValue(cell: ExcelJS.Cell, fail: (message: string) => void): Cell {
	const value = cell.value;
	if (value === null || value === undefined) return null;
	if (typeof value === 'string' || typeof value === 'number') return value;
	if (typeof value === 'boolean') return value ? 'oui' : 'non';
	if (value instanceof Date) return value;
	if ('formula' in value || 'sharedFormula' in value) {
		const result = (value as ExcelJS.CellFormulaValue).result;
		if (
			result === undefined ||
			result === null ||
			(typeof result === 'object' && 'error' in result)
		) {
			fail(
				'cette cellule contient une formule sans résultat enregistré : remplacez-la par sa valeur (copier, puis collage spécial « valeurs seulement »)'
			);
			return null;
		}
		if (typeof result === 'boolean') return result ? 'oui' : 'non';
		return result as Cell;
	}
	// A link's text may itself be partly formatted (rich text): read as rich text is.
	const shown: unknown = 'hyperlink' in value ? value.text : value;
	if (typeof shown === 'object' && shown !== null && 'richText' in shown)
		return richTextCell((shown as ExcelJS.CellRichTextValue).richText);
	if ('hyperlink' in value) return String(value.text ?? '');
	if ('error' in value) {
		fail(
			`cette cellule contient une erreur (${excerpt(String(value.error))}) : remplacez-la par une valeur`
		);
		return null;
	}
	fail('cette cellule a un contenu que l’import ne sait pas lire : remplacez-le par du texte');
	return null;
}

/**
 * A rich-text cell's runs joined, up to the run that takes it past UNCOUNTED_LENGTH: such a text is
 * refused whatever follows, and a cell of many thousand runs is not built whole first.
 */
export function richTextCell(runs: readonly { text?: string }[]): string {
	let text = '';
	for (const run of runs) {
		// ExcelJS gives a run without `<t>` no text at all.
		text += run.text ?? '';
		if (text.length > UNCOUNTED_LENGTH) break;
	}
	return text;
}

async function loadWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook | null> {
	// An .xlsx file is a zip archive: anything else is refused before ExcelJS reads it.
	if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return null;
	const workbook = await newWorkbook();
	try {
		await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
		return workbook;
	} catch {
		return null;
	}
}

/** The plan's sheet a worksheet is, by its name (spaces around and case aside), if any. */
function sheetKeyOf(name: string): SheetSpec | undefined {
	return Object.values(SHEETS).find((s) => s.name.toLowerCase() === name.trim().toLowerCase());
}

function expectedSheets(): string {
	return `les feuilles attendues : ${Object.values(SHEETS)
		.map((s) => s.name)
		.join(', ')}`;
}

/** The data rows of one sheet, once its headers are checked; null when the sheet cannot be read. */
function readSheet(
	workbook: ExcelJS.Workbook,
	spec: SheetSpec,
	problems: Problems
): DataRow[] | null {
	const sheet = findSheet(workbook, spec, problems);
	if (!sheet || !headersMatch(sheet, spec, problems)) return null;
	extraColumns(sheet, spec, problems);
	const rows: DataRow[] = [];
	for (let number = 2; number <= sheet.rowCount; number++) {
		const row = readDataRow(sheet.getRow(number), number, spec, problems);
		// A row that shows nothing is no row of the plan.
		if (row.cells.every((cell) => cell === null)) continue;
		rows.push(row);
	}
	return rows;
}

/** The worksheet of `spec`, or null when it is missing or holds too many rows (said). */
function findSheet(
	workbook: ExcelJS.Workbook,
	spec: SheetSpec,
	problems: Problems
): ExcelJS.Worksheet | null {
	const sheet = workbook.worksheets.find((w) => sheetKeyOf(w.name) === spec);
	if (!sheet) {
		problems.add(
			spec.name,
			null,
			null,
			`la feuille « ${spec.name} » manque au classeur (${expectedSheets()})`
		);
		return null;
	}
	// Refused before ExcelJS read it (zipProblem); kept for a sheet whose rows ExcelJS numbers otherwise.
	if (sheet.rowCount - 1 > MAX_ROWS_PER_SHEET) {
		problems.add(spec.name, null, null, sheetRowsMessage(sheet.rowCount - 1));
		return null;
	}
	return sheet;
}

/** Whether the first row holds the sheet's headers, each in its column; each one that does not is said. */
function headersMatch(sheet: ExcelJS.Worksheet, spec: SheetSpec, problems: Problems): boolean {
	let headersOk = true;
	const header = sheet.getRow(1);
	spec.columns.forEach((column, i) => {
		const cell = header.getCell(i + 1);
		const found = cell.isMerged ? null : String(cellValue(cell, () => undefined) ?? '').trim();
		if (found !== column.header) {
			headersOk = false;
			problems.add(
				spec.name,
				1,
				column.header,
				found
					? `l’en-tête de la colonne ${columnLetter(i)} doit être « ${column.header} » et non ${quoted(found)} : rétablissez les en-têtes du modèle`
					: `l’en-tête « ${column.header} » manque en colonne ${columnLetter(i)} : rétablissez les en-têtes du modèle`
			);
		}
	});
	return headersOk;
}

/** One row of a sheet: its cells as the import reads them, and those shown for the reader only. */
function readDataRow(
	row: ExcelJS.Row,
	number: number,
	spec: SheetSpec,
	problems: Problems
): DataRow {
	const info = spec.columns.map((column, i) => {
		const value = column.info ? cellValue(row.getCell(i + 1), () => undefined) : null;
		// Only compared with the latest measurement (editedLatestRows): a text longer than any
		// cell is no number nor date, and is kept by its beginning.
		return typeof value === 'string' && value.length > LONGEST_CELL ? excerpt(value) : value;
	});
	const unreadable = spec.columns.map(() => false);
	const cells = spec.columns.map((column, i) =>
		column.info
			? null
			: readDataCell(row.getCell(i + 1), column, (message) => {
					unreadable[i] = true;
					problems.add(spec.name, number, column.header, message);
				})
	);
	return { number, cells, info, unreadable };
}

/**
 * A cell the import reads: null when empty or refused (`fail` says why: merged, unreadable, longer
 * than any cell), else its number, date, or text without direction marks.
 */
function readDataCell(cell: ExcelJS.Cell, column: Column, fail: (message: string) => void): Cell {
	if (cell.isMerged) {
		fail('cellules fusionnées : défusionnez-les et donnez une valeur à chaque cellule');
		return null;
	}
	const value = shownPercent(cellValue(cell, fail), cell.numFmt);
	if (typeof value !== 'string') return value;
	// Refused before anything else works on it (the row goes on without it: see RowReader.unreadable).
	const overlong = overlongProblem(value, column);
	if (overlong) {
		fail(overlong);
		return null;
	}
	// A cell that shows nothing (spaces, characters without width) is an empty cell; a text
	// is read as a form reads it (typedText: without its direction marks, nor characters without
	// width among the spaces at its ends), whatever the column (a number typed as text too).
	return showsNothing(value) ? null : typedText(value);
}

/**
 * A number shown through a percent format (« 80 % » typed in a number cell: the spreadsheet stores
 * 0.8) is read as the text it shows, « 80 % », which only a percentage indicator accepts (0.12345,
 * shown « 12 % », as « 12,345 % »: the number stored, not its rounding).
 */
function shownPercent(value: Cell, format: string | undefined): Cell {
	const percent = (format ?? '').replace(/"[^"]*"|\\.|\[[^[\]]*\]/g, '').includes('%');
	if (typeof value !== 'number' || !percent) return value;
	// With a decimal comma: « 12.345 % » would read two ways (12 345 or 12,345), as typed text does.
	return `${formatNumberInput(Number((value * 100).toPrecision(12)))} %`;
}

/**
 * A column filled beside the sheet's columns (a « Commentaire », notes) would be dropped without a
 * word, as a sheet the import does not read: said once per column, with its header and its first
 * row, so that nothing is lost.
 */
function extraColumns(sheet: ExcelJS.Worksheet, spec: SheetSpec, problems: Problems): void {
	const found = new Map<number, { header: string; rows: number[] }>();
	sheet.eachRow((row, number) =>
		row.eachCell((cell, column) => {
			if (column <= spec.columns.length) return;
			const value = cellValue(cell, () => undefined);
			if (showsNoValue(value)) return;
			const seen = found.get(column) ?? { header: '', rows: [] };
			if (number === 1) seen.header = excerpt(String(value).trim());
			else seen.rows.push(number);
			found.set(column, seen);
		})
	);
	for (const [column, { header, rows }] of [...found].sort(([a], [b]) => a - b)) {
		// A header alone loses nothing.
		if (rows.length === 0) continue;
		const filled =
			rows.length === 1
				? `remplie en ligne ${rows[0]}`
				: `remplie en ${rows.length} lignes, la première en ligne ${rows[0]}`;
		problems.add(
			spec.name,
			null,
			header || null,
			`la colonne ${columnLetter(column - 1)} (${filled}) n’est pas une colonne de la feuille : l’import ne la lirait pas. Retirez-la, ou copiez son contenu dans une colonne attendue (${spec.columns.map((c) => c.header).join(', ')})`
		);
	}
}

/**
 * Whether a cell's value shows nothing: none, or a text of spaces and invisible characters (a text
 * longer than any cell holds is filled, whatever its characters).
 */
function showsNoValue(value: Cell): boolean {
	if (value === null) return true;
	return typeof value === 'string' && value.length <= LONGEST_CELL && showsNothing(value);
}

/**
 * Whether nothing shows in a sheet: no cell, or cells that show nothing (a formula without its
 * result, or an error, is something).
 */
function blankSheet(sheet: ExcelJS.Worksheet): boolean {
	let blank = true;
	sheet.eachRow((row) =>
		row.eachCell((cell) => {
			let unread = false;
			const value = cellValue(cell, () => (unread = true));
			if (unread || !showsNoValue(value)) blank = false;
		})
	);
	return blank;
}

/** « 12 000 caractères : 300 au plus (comme dans le formulaire du portail) » */
function tooManyCharacters(count: string, max: number): string {
	return `${count} caractères : ${formatNumber(max)} au plus (comme dans le formulaire du portail)`;
}

/**
 * Why a cell's text is refused as soon as it is read: longer than any cell of the plan may be
 * (LONGEST_CELL), said with its column's own limit for a text, or as no number or date; null
 * otherwise. Its characters are counted only when that takes a few thousand steps: beyond twice
 * the limit in UTF-16 units, it is « plus de » the limit whatever they are.
 */
function overlongProblem(text: string, column: Column): string | null {
	if (text.length <= LONGEST_CELL) return null;
	const count = text.length > UNCOUNTED_LENGTH ? null : characterCount(text);
	if (count !== null && count <= LONGEST_CELL) return null;
	const shown = count === null ? `plus de ${formatNumber(LONGEST_CELL)}` : formatNumber(count);
	if (column.kind === 'text' || column.kind === 'long')
		return tooManyCharacters(shown, textLimit(column));
	const expected = column.kind === 'date' ? 'une date' : 'un nombre';
	return `${quoted(text)} refusé : ${shown} caractères, quand ${expected} en compte quelques-uns`;
}

function columnLetter(index: number): string {
	let n = index + 1;
	let letters = '';
	while (n > 0) {
		letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
		n = Math.floor((n - 1) / 26);
	}
	return letters;
}

/**
 * The day a cell holds, « 2019-02-01 »: a date (the day it shows, whatever its hour: 31/12/2027
 * 18:00 and 23:59:59 are the 31st; its time is taken to the nearest second, as a spreadsheet shows
 * it, so that the float error of a day number a millisecond short of midnight, 46022.99999999,
 * counts as midnight), or a text typed « 01/02/2019 » or « 2019-02-01 » naming a real day; null
 * otherwise.
 */
function dayOfCell(value: Cell): string | null {
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) return null;
		const second = Math.round(value.getTime() / 1000) * 1000;
		return new Date(Math.floor(second / 86_400_000) * 86_400_000).toISOString().slice(0, 10);
	}
	if (typeof value !== 'string') return null;
	const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value.trim());
	const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
	const parts = fr ? [fr[3], fr[2], fr[1]] : iso ? [iso[1], iso[2], iso[3]] : null;
	if (!parts) return null;
	const text = `${parts[0]}-${parts[1]!.padStart(2, '0')}-${parts[2]!.padStart(2, '0')}`;
	const date = new Date(`${text}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text ? text : null;
}

/** A spreadsheet's day number as its date (days from 30 December 1899, after 1 March 1900), or null. */
function serialDate(value: number): Date | null {
	if (!Number.isInteger(value) || value < 61 || value > 73_415) return null;
	return new Date(Date.UTC(1899, 11, 30) + value * 86_400_000);
}

function dateShown(date: Date): string {
	return Number.isNaN(date.getTime())
		? 'date illisible'
		: formatDate(date.toISOString().slice(0, 10));
}

/** A spreadsheet's day number shown with its day: « 46031, soit le 9 janvier 2026 ». */
function serialShown(value: number): string {
	const date = serialDate(value);
	return date ? `${value}, soit le ${dateShown(date)}` : formatNumber(value);
}

/**
 * A fiche taken out of the « Fiches » sheet alone (or a new one whose row was forgotten) leaves its
 * rows in the others, each refused: the first refusal says how many there are, where, and the two
 * ways out.
 */
function unknownFicheGuidance(code: string, rows: { sheet: string; row: number }[]): string {
	const sheets = [...new Set(rows.map((r) => r.sheet))].map((sheet) => {
		const numbers = rows.filter((r) => r.sheet === sheet).map((r) => r.row);
		return `« ${sheet} » ${plural(numbers.length, 'ligne', 'lignes')} ${rowRanges(numbers)}`;
	});
	return ` ; ${rows.length} lignes la citent (${sheets.join(', ')}) : ajoutez ou remettez la ligne de la fiche ${excerpt(code)} dans la feuille « ${SHEETS.fiches.name} », ou, si elle doit sortir du plan, supprimez aussi ces lignes`;
}

/** « 40 à 45 et 48 » for rows 40, 41, 42, 43, 44, 45 and 48. */
function rowRanges(numbers: number[]): string {
	const ranges: string[] = [];
	const sorted = [...numbers].sort((a, b) => a - b);
	for (let i = 0; i < sorted.length;) {
		let j = i;
		while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
		if (j === i + 1) ranges.push(`${sorted[i]}`, `${sorted[j]}`);
		else ranges.push(j === i ? `${sorted[i]}` : `${sorted[i]} à ${sorted[j]}`);
		i = j + 1;
	}
	return listInWords(ranges);
}

/**
 * A number as a spreadsheet shows and keeps it: 15 significant digits. A formula's binary noise
 * (=100000000000,1*3 stored 300000000000.30005) goes; what a person typed stays.
 */
export function spreadsheetDigits(value: number): number {
	return Number(value.toPrecision(15));
}

/** Reads the cells of one row by column, each problem named by sheet, row and column. */
class RowReader {
	constructor(
		private spec: SheetSpec,
		private row: DataRow,
		private problems: Problems
	) {}

	private fail(index: number, message: string): void {
		this.problems.add(this.spec.name, this.row.number, this.spec.columns[index]!.header, message);
	}

	private isEmpty(index: number): boolean {
		const value = this.row.cells[index];
		return (value === null || value === undefined) && this.row.unreadable[index] !== true;
	}

	get number(): number {
		return this.row.number;
	}

	get sheet(): string {
		return this.spec.name;
	}

	/** A cell of a column the import does not read, as found (see Column.info). */
	info(index: number): Cell {
		return this.row.info[index] ?? null;
	}

	problem(index: number, message: string): void {
		this.fail(index, message);
	}

	/** A text cell as typed, trimmed, even over its column's limit (text cuts one refused so). */
	typedText(index: number): string {
		const value = this.row.cells[index];
		return typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : '';
	}

	/** A required cell left empty: « le titre de la fiche est obligatoire » (not one refused as read). */
	private missing(index: number): void {
		if (this.row.unreadable[index]) return;
		this.fail(index, `${this.spec.columns[index]!.names} est obligatoire`);
	}

	optionalText(index: number): string | null {
		const value = this.row.cells[index];
		if (value === null || value === undefined) return null;
		const { text, problem } = textOfCell(value, this.spec.columns[index]!);
		if (problem) this.fail(index, problem);
		return text;
	}

	/**
	 * A code (fiche, axe, organisation…), or '' when the cell is missing or the spreadsheet turned
	 * the code into a date or a number (« 4-2 » typed in a cell not formatted as text becomes the
	 * 4th of February): said once, with what to do, instead of « 46057 n’est pas un code ».
	 */
	code(index: number): string {
		const value = this.row.cells[index];
		if (typeof value === 'number' || value instanceof Date) {
			this.fail(index, codeTakenForNumber(value));
			return '';
		}
		return this.text(index);
	}

	/**
	 * The fiche codes a code turned into a date may have been: « 9-1 » becomes 9 January or
	 * 1 September depending on the spreadsheet's language. Empty when the cell is not a date.
	 */
	codeCandidates(index: number): string[] {
		return codesOfDate(this.row.cells[index] ?? null);
	}

	text(index: number): string {
		const value = this.optionalText(index);
		if (value === null) {
			this.missing(index);
			return '';
		}
		return value;
	}

	/**
	 * A number as the portal's forms read it (parseDecimal: 12 digits and 6 decimals at most), so
	 * that what is imported can be saved again from the fiche's form. `kind`: an indicator's, whose
	 * values are read as its partners' form reads them (« oui » or « non » for a yes/no one only,
	 * « 45 % » for a percentage, « 1 500 € » for an amount).
	 */
	optionalNumber(index: number, kind?: IndicatorKind | null): number | null {
		const value = this.row.cells[index];
		if (value === null || value === undefined) return null;
		const read = numberOfCell(value, kind);
		if ('problem' in read) this.fail(index, read.problem);
		return 'number' in read ? read.number : null;
	}

	integer(index: number, min = 1, max = 9999): number {
		const value = this.optionalNumber(index);
		if (value === null) {
			if (this.row.cells[index] === null) this.missing(index);
			return Number.NaN;
		}
		if (!Number.isInteger(value) || value < min || value > max) {
			this.fail(index, `« ${value} » n’est pas un nombre entier entre ${min} et ${max}`);
			return Number.NaN;
		}
		return value;
	}

	optionalDate(index: number): string | null {
		const value = this.row.cells[index];
		if (value === null || value === undefined) return null;
		const day = dayOfCell(value);
		if (day) return day;
		// A number far out of the spreadsheet's calendar reaches here as a date that is none.
		const shown = value instanceof Date ? 'cette valeur' : quoted(String(value));
		this.fail(
			index,
			`${shown} n’est pas une date (écrivez-la comme 01/02/2019, ou en format de date du tableur)`
		);
		return null;
	}

	/** The cell is empty (an unreadable one is not: its problem is told already). */
	blank(index: number): boolean {
		return this.isEmpty(index);
	}

	date(index: number): string {
		const value = this.optionalDate(index);
		if (value === null && this.row.cells[index] === null) this.missing(index);
		return value ?? '';
	}
}

/**
 * A filled cell's number as the portal's forms read it (see RowReader.optionalNumber), or why it
 * is refused.
 */
function numberOfCell(
	value: Exclude<Cell, null>,
	kind?: IndicatorKind | null
): { number: number } | { problem: string } {
	// A number cell is read as it would be typed, with a decimal comma: 1.234 stored is no
	// « 1.250 » typed, which reads two ways; 100/3 stored has more decimals than a form keeps.
	// A formula's binary noise (=1,1*3 shown 3,3, stored 3.3000000000000003; =100000000000,1*3
	// shown 300 000 000 000,3, stored 300000000000.30005) is not a decimal the person typed:
	// every number is read to the 15 significant digits a spreadsheet shows, which the forms
	// keep at most (parseDecimal), then their limits apply.
	// A number JavaScript writes with an exponent (|x| ≥ 1e21, or under 1e-6): beyond the forms'
	// 12 digits or 6 decimals, said so, and written in French (not « 1e+300 »). A cell of
	// « 1e400 », beyond what a number holds, is read as Infinity: too large as well.
	if (typeof value === 'number') {
		const unwritten = exponentProblem(value);
		if (unwritten) return { problem: unwritten };
	}
	if (value instanceof Date) return { problem: numberTakenForDate(value) };
	const typed = typeof value === 'number' ? formatNumberInput(spreadsheetDigits(value)) : value;
	// A number cell's 12.125 is written « 12,125 »: one reading only, not « 1,000 » typed.
	const reading = typeof value === 'number' ? 'number' : 'typed';
	const number = readIndicatorValue(kind, typed, reading);
	if (Number.isFinite(number)) return { number };
	const problem = asProblem(indicatorValueReadingProblem(kind, typed, reading));
	// « « 1.250 » se lit de deux façons… » names the value already.
	return {
		problem: problem.startsWith('«') ? problem : `${quoted(typed.trim())} refusé : ${problem}`
	};
}

/** Why a number JavaScript writes with an exponent (or an infinite one) is refused, or null. */
function exponentProblem(value: number): string | null {
	const infinite = value === Infinity || value === -Infinity;
	if (!infinite && !/e/.test(String(spreadsheetDigits(value)))) return null;
	const large = Math.abs(value) >= 1;
	const exact = formatExactNumber(value);
	const shown = infinite
		? `${value > 0 ? 'plus' : 'moins'} de ${value > 0 ? '' : '-'}10³⁰⁸`
		: large || /^-?0$/.test(exact)
			? formatScientific(value)
			: exact;
	return `« ${shown} » refusé : ${asProblem(large ? TOO_MANY_WHOLE_DIGITS : TOO_MANY_DECIMALS)}`;
}

/**
 * A filled cell's text, trimmed with LF line breaks, and why the column refuses it, if it does:
 * the rules of the form's field that reads the column (`field`), or of every text of the portal.
 * Refused, the text is still given back (within its limit): the row fails once, without
 * « … est obligatoire » as well. A date stands for its day (« 2019-02-01 »).
 */
function textOfCell(
	value: Exclude<Cell, null>,
	column: Column
): { text: string | null; problem: string | null } {
	if (value instanceof Date) {
		if (!Number.isNaN(value.getTime()))
			return { text: value.toISOString().slice(0, 10), problem: null };
		// A number far out of the spreadsheet's calendar in a cell formatted as a date.
		return {
			text: null,
			problem: 'cette cellule est au format date avec une valeur hors du calendrier'
		};
	}
	const text = String(value).replace(/\r\n?/g, '\n').trim();
	const problem = column.field
		? formFieldProblem(column.field, text)
		: cellTextProblem(text, column);
	return { text: problem ? [...text].slice(0, textLimit(column)).join('') : text, problem };
}

/** A code the spreadsheet turned into a date or a number, said once with what to do. */
function codeTakenForNumber(value: number | Date): string {
	const shown = value instanceof Date ? dateShown(value) : serialShown(value);
	return `le tableur a pris ce code pour une date ou un nombre (« ${shown} ») : mettez la colonne au format Texte, puis retapez le code (par exemple 4-2)`;
}

/**
 * A date in a number column, said as the spreadsheet shows it (« 2 janvier 1900 », not
 * « 1900-01-02 »), with what to do, as codeTakenForNumber says it of a code: a number typed in a
 * cell formatted as a date (« 2 » in « Numéro ») becomes a day.
 */
function numberTakenForDate(value: Date): string {
	return `le tableur tient cette cellule pour une date (« ${dateShown(value)} »), non pour un nombre : s’il a pris le nombre tapé pour une date, mettez la colonne au format Nombre, puis retapez le nombre (par exemple 12 ou 12,5)`;
}

/** The fiche codes a date (or a day number) may have been typed as: « 9-1 » and « 1-9 ». */
function codesOfDate(value: Cell): string[] {
	const day = dayOfCell(typeof value === 'number' ? serialDate(value) : value);
	if (!day || !(value instanceof Date || typeof value === 'number')) return [];
	const [d, m] = [Number(day.slice(8, 10)), Number(day.slice(5, 7))];
	return [`${d}-${m}`, `${m}-${d}`];
}

/**
 * Why the form whose field reads a column refuses a cell's text (its first message, as the form
 * shows it under the field), or null: the same rules as the form, a text imported here can be
 * saved there again (an emoji is one character, a label has at least 3…).
 */
function formFieldProblem(field: ZodType<unknown, string>, text: string): string | null {
	const parsed = field.safeParse(text);
	return parsed.success ? null : asProblem(parsed.error.issues[0]!.message);
}

/**
 * Why a text of a column no form edits (the plan's title, a code, a name of another sheet) is
 * refused, or null: the rules every text field of the portal has.
 */
function cellTextProblem(text: string, column: Column): string | null {
	const forbidden = forbiddenCharacter(text, {
		oneLine: column.kind !== 'long',
		lineBreaksApart: true
	});
	if (forbidden) return `cette cellule contient ${forbidden}`;
	// A title, a name or a code heads pages, lists and CSV cells: on one line, as in the forms
	// (textField's `line`: no line or paragraph separator either, U+2028 and U+2029).
	if (column.kind !== 'long' && LINE_BREAK.test(text))
		return 'cette cellule tient sur une ligne : retirez ses retours à la ligne';
	// Counted as the forms count (textField: an emoji is one character, not two UTF-16 units).
	const count = characterCount(text);
	const max = textLimit(column);
	return count > max ? tooManyCharacters(formatNumber(count), max) : null;
}

/** A form's sentence written as the import's other problems are: « cette date … », no full stop. */
function asProblem(sentence: string): string {
	return sentence.charAt(0).toLowerCase() + sentence.slice(1).replace(/\.$/, '');
}

function kindOf(label: string | null, labels: Record<string, string>): string | undefined {
	if (label === null) return undefined;
	const wanted = label.trim().toLowerCase();
	return Object.entries(labels).find(
		([code, text]) => text.toLowerCase() === wanted || code === wanted
	)?.[0];
}

/** Keeps the first row of each key and names the row of every duplicate. */
function uniqueBy<T>(
	items: { item: T; reader: RowReader }[],
	key: (item: T) => string,
	column: number,
	what: string | ((item: T, first: number) => string)
): T[] {
	const seen = new Map<string, number>();
	const kept: T[] = [];
	for (const { item, reader } of items) {
		const k = key(item);
		// A missing or unreadable key has been reported already: not « déjà à la ligne » as well.
		if (k === '') {
			kept.push(item);
			continue;
		}
		const first = seen.get(k);
		if (first !== undefined) {
			reader.problem(
				column,
				typeof what === 'string'
					? `${what} ${quoted(k)} est déjà à la ligne ${first}`
					: what(item, first)
			);
			continue;
		}
		seen.set(k, reader.number);
		kept.push(item);
	}
	return kept;
}

const CODE = /^[a-z0-9][a-z0-9-]{0,60}$/;

const MEGABYTE = 1024 * 1024;
const UNREADABLE =
	'le fichier n’est pas un classeur Excel (.xlsx) lisible : enregistrez-le au format « Classeur Excel 2007-365 (.xlsx) » et réessayez';

const sheetRowsMessage = (rows: number) =>
	`la feuille a ${rows} lignes : au plus ${MAX_ROWS_PER_SHEET} sont acceptées`;

/** Why the archive is refused before ExcelJS reads it, if it is (zip-guard.ts). */
function zipProblem(bytes: Uint8Array): WorkbookProblem | string | null {
	const declared = unzippedSize(bytes);
	const limit = `un classeur du plan en pèse au plus ${MAX_UNZIPPED_BYTES / MEGABYTE} Mo`;
	// What the directory declares, when it already says too much: refused without inflating.
	if (declared !== null && declared > MAX_UNZIPPED_BYTES)
		return `le classeur, une fois décompressé, pèserait ${Number.isFinite(declared) ? `${Math.ceil(declared / MEGABYTE)} Mo` : 'plus de 4 Go'} : ${limit}`;
	const contents = inspectZip(bytes);
	if (contents.ok) return null;
	switch (contents.problem) {
		case 'unreadable':
			return UNREADABLE;
		case 'too-big':
			return `le classeur, une fois décompressé, pèserait plus de ${MAX_UNZIPPED_BYTES / MEGABYTE} Mo : ${limit}`;
		case 'too-many-sheet-rows':
			return {
				sheet: contents.sheet,
				row: null,
				column: null,
				message: sheetRowsMessage(contents.rows)
			};
		case 'too-many-rows':
			return `le classeur compte plus de ${formatNumber(MAX_WORKBOOK_ROWS)} lignes en tout : celui du plan en compte quelques centaines`;
		case 'too-many-cells':
			return `le classeur compte plus de ${formatNumber(MAX_WORKBOOK_CELLS)} cellules remplies en tout : celui du plan en compte quelques milliers`;
		case 'too-many-elements':
			return `le classeur compte plus de ${formatNumber(MAX_WORKBOOK_ELEMENTS)} éléments en tout (cellules, textes, styles, polices…) : celui du plan en compte quelques milliers`;
	}
}

/**
 * A workbook row that brings back an axis, orientation or objective withdrawn from the plan (an
 * older workbook): refused, since its code, or number, is never given again.
 */
function withdrawnRowMessage(level: StructureLevel, key: string): string {
	if (level === 'orientation')
		return `l’orientation « ${key} » a été retirée du plan (sa page garde son historique) : un import ne la remet pas et ne redonne pas son code ; retirez sa ligne, ou donnez-en un autre s’il s’agit d’une nouvelle orientation`;
	const [what, word, again] =
		level === 'objective' ? ['l’objectif', 'numéro', 'objectif'] : ['l’axe', 'code', 'axe'];
	return `${what} « ${key} » a été retiré du plan (sa page garde son historique) : un import ne le remet pas et ne redonne pas son ${word} ; retirez sa ligne, ou donnez-en un autre s’il s’agit d’un nouvel ${again}`;
}

/**
 * Reads a workbook written by writePlanWorkbook (and edited in a spreadsheet): every sheet, every
 * header, every row, every reference between sheets. Returns the plan, or every problem found.
 */
export async function readPlanWorkbook(
	bytes: Uint8Array,
	retiredOrganisations: RetiredOrganisation[] = [],
	withdrawn: Set<string> = new Set(),
	abandonedFiches: Set<string> = new Set(),
	organisationsToday: OrganisationToday[] = []
): Promise<WorkbookReading> {
	const refusal = zipProblem(bytes);
	if (refusal)
		return refusedReading([typeof refusal === 'string' ? unlocatedProblem(refusal) : refusal]);
	const workbook = await loadWorkbook(bytes);
	if (!workbook) return refusedReading([unlocatedProblem(UNREADABLE)]);
	const problems = new Problems();
	const sheets = readSheets(workbook, problems);
	if (!sheets) return refusedReading(problems.list);
	const rows = (key: SheetKey) =>
		sheets[key].map((row) => new RowReader(SHEETS[key], row, problems));
	const { model, ficheRows, organisationRows, shownLatest, undatedBaselines } = readRows(
		rows,
		problems,
		retiredOrganisations,
		withdrawn,
		abandonedFiches,
		organisationsToday
	);
	if (problems.list.length > 0) {
		return {
			...refusedReading(problems.list),
			partial: {
				model,
				ficheRows,
				organisationRows,
				exportedRevision: exportedRevision(workbook),
				undatedBaselines,
				shownLatest,
				problems: problems.list
			}
		};
	}
	return {
		ok: true,
		model,
		ficheRows,
		organisationRows,
		exportedRevision: exportedRevision(workbook),
		shownLatest,
		undatedBaselines
	};
}

/**
 * Every sheet's data rows; null when a sheet or a header cannot be read (problems said). A cell
 * refused as it is read (merged, a formula without result, too long…), a sheet or a column the
 * import does not read, are said and the rows are read on: every problem is told in one pass.
 */
function readSheets(
	workbook: ExcelJS.Workbook,
	problems: Problems
): Record<SheetKey, DataRow[]> | null {
	const sheets = {} as Record<SheetKey, DataRow[] | null>;
	for (const key of Object.keys(SHEETS) as SheetKey[])
		sheets[key] = readSheet(workbook, SHEETS[key], problems);
	otherSheets(workbook, problems);
	const read = Object.values(sheets).every((rows) => rows !== null);
	return read ? (sheets as Record<SheetKey, DataRow[]>) : null;
}

/**
 * A sheet the import does not read would be dropped without a word: a copy of « Fiches » made to
 * add fiches (« Fiches (2) »), notes kept beside the plan. Said, so that nothing is lost. An empty
 * one (« Feuil1 », a sheet added and left blank) loses nothing: ignored.
 */
function otherSheets(workbook: ExcelJS.Workbook, problems: Problems): void {
	for (const extra of workbook.worksheets.filter((w) => !sheetKeyOf(w.name) && !blankSheet(w)))
		problems.add(
			excerpt(extra.name),
			null,
			null,
			`cette feuille n’est pas une feuille du plan : l’import ne la lirait pas. Retirez-la du classeur, ou copiez ses lignes dans la feuille attendue (${expectedSheets()})`
		);
}

/** The rows of a sheet, each read by its own RowReader. */
type SheetRows = (key: SheetKey) => RowReader[];

/**
 * The plan the rows hold, sheet by sheet in the order the references between them need (each
 * problem said as its row is read): what the reading gives back but for the workbook's revision.
 */
function readRows(
	rows: SheetRows,
	problems: Problems,
	retiredOrganisations: RetiredOrganisation[],
	withdrawn: Set<string>,
	abandonedFiches: Set<string>,
	organisationsToday: OrganisationToday[]
) {
	const model: PlanModel = { ...emptyPlanModel(), retiredOrganisations };
	const unread: UnreadKeys = new Set();
	model.plan = readPlanRow(rows('plan'), problems);
	model.axes = readAxes(rows('axes'), withdrawn, unread);
	model.orientations = readOrientations(
		rows('orientations'),
		withdrawn,
		new Set(model.axes.map((a) => a.code)),
		unread
	);
	model.objectives = readObjectives(
		rows('objectives'),
		withdrawn,
		new Set(model.orientations.map((o) => o.code)),
		unread
	);
	const organisations = readOrganisations(
		rows('organisations'),
		retiredOrganisations,
		organisationsToday,
		unread
	);
	model.organisations = organisations.list;
	const fiches = readFiches(rows('fiches'), new Set(model.objectives.map((o) => o.number)), unread);
	model.fiches = fiches.list;
	const references = new FicheReferences(
		new Set(model.fiches.map((f) => f.code)),
		fiches.unreadableCodes,
		unread.has('fiches'),
		problems,
		abandonedFiches
	);
	const people = readPeople(rows('people'), references, organisations, unread.has('organisations'));
	model.people = people.list;
	model.links = readLinks(rows('links'), references);
	const indicators = readIndicators(rows('indicators'), references);
	model.indicators = indicators.list;
	// A fiche may have no indicator yet, as the portal's form allows (a fiche just added).
	references.guide();
	return {
		model,
		ficheRows: fiches.rows,
		organisationRows: { listed: organisations.rows, people: people.rows },
		shownLatest: indicators.shownLatest,
		undatedBaselines: indicators.undatedBaselines
	};
}

/** The « Plan » sheet's one row, or null when it has none. */
function readPlanRow(rows: RowReader[], problems: Problems): PlanModel['plan'] {
	if (rows.length !== 1)
		problems.add(
			SHEETS.plan.name,
			null,
			null,
			'la feuille doit avoir une seule ligne, celle du plan'
		);
	const plan = rows[0];
	if (!plan) return null;
	return {
		title: plan.text(0),
		territory: plan.text(1),
		periodStart: plan.integer(2, 1900, 2200),
		periodEnd: plan.integer(3, 1900, 2200),
		adoptedOn: plan.date(4),
		finalisedOn: plan.date(5),
		source: plan.text(6)
	};
}

/** The code of an axis, orientation or organisation (`what`: « d’axe »…), refused if not one. */
function codeOf(r: RowReader, index: number, what: string): string {
	const code = r.code(index);
	if (code && !CODE.test(code))
		r.problem(index, `${quoted(code)} n’est pas un code ${what} (minuscules, chiffres et tirets)`);
	return code;
}

/** A row that brings back an axis, orientation or objective withdrawn from the plan. */
function notWithdrawn(
	r: RowReader,
	withdrawn: Set<string>,
	level: StructureLevel,
	key: string
): void {
	if (key && withdrawn.has(`${level}:${key}`)) r.problem(0, withdrawnRowMessage(level, key));
}

/**
 * The sheets a row of which has a filled key (code, number, name) that could not be read (its
 * problem said): a reference to such a sheet that finds nothing may name that row, and is not
 * told « n’existe pas » as well.
 */
type UnreadKeys = Set<SheetKey>;

/** Whether the key read from a row's cell is unknown though the cell is filled (said already). */
function keyUnread(r: RowReader, index: number, key: string | number): boolean {
	return (key === '' || Number.isNaN(key)) && !r.blank(index);
}

/** The code of the record above a row's (its column B, of the sheet `parent`), said when unknown. */
function knownParent(
	r: RowReader,
	codes: Set<string>,
	what: string,
	parent: SheetKey,
	unread: UnreadKeys
): string {
	const code = r.text(1);
	if (code && !codes.has(code) && !unread.has(parent))
		r.problem(1, `${what} ${quoted(code)} n’existe pas dans la feuille « ${SHEETS[parent].name} »`);
	return code;
}

function readAxes(
	rows: RowReader[],
	withdrawn: Set<string>,
	unread: UnreadKeys
): PlanModel['axes'] {
	return uniqueBy(
		rows.map((r) => {
			const code = codeOf(r, 0, 'd’axe');
			if (keyUnread(r, 0, code)) unread.add('axes');
			notWithdrawn(r, withdrawn, 'axis', code);
			return { reader: r, item: { code, shortName: r.text(1), label: r.text(2) } };
		}),
		(a) => a.code,
		0,
		'l’axe'
	);
}

function readOrientations(
	rows: RowReader[],
	withdrawn: Set<string>,
	axisCodes: Set<string>,
	unread: UnreadKeys
): PlanModel['orientations'] {
	return uniqueBy(
		rows.map((r) => {
			const axis = knownParent(r, axisCodes, 'l’axe', 'axes', unread);
			const code = codeOf(r, 0, 'd’orientation');
			if (keyUnread(r, 0, code)) unread.add('orientations');
			notWithdrawn(r, withdrawn, 'orientation', code);
			return { reader: r, item: { code, axis, label: r.text(2) } };
		}),
		(o) => o.code,
		0,
		'l’orientation'
	);
}

function readObjectives(
	rows: RowReader[],
	withdrawn: Set<string>,
	orientationCodes: Set<string>,
	unread: UnreadKeys
): PlanModel['objectives'] {
	return uniqueBy(
		rows.map((r) => {
			const orientation = knownParent(r, orientationCodes, 'l’orientation', 'orientations', unread);
			const number = r.integer(0, 1, 99);
			if (keyUnread(r, 0, number)) unread.add('objectives');
			if (Number.isInteger(number)) notWithdrawn(r, withdrawn, 'objective', String(number));
			return {
				reader: r,
				item: {
					number,
					orientation,
					label: r.text(2),
					synthesisLabel: r.optionalText(3)
				}
			};
		}),
		// A missing or refused number (NaN) is said on its row, not as « « NaN » est déjà à la ligne ».
		(o) => (Number.isNaN(o.number) ? '' : String(o.number)),
		0,
		'l’objectif'
	);
}

/** An organisation of the plan as the portal names it today (not retired), and its former names. */
type OrganisationToday = Pick<PlanModel['organisations'][number], 'slug' | 'name'> & {
	formerNames?: string[];
};

/**
 * The « Organisations » sheet (`list`), the row of each organisation by identifier (`rows`), how
 * the other sheets find an organisation (`byName`): by its name (`organisationNameKey`, as the
 * admin form compares names) or its identifier, lower-cased; and the names of the rows refused for
 * an identifier another row holds (`refusedNames`): a row naming one is not also told unknown.
 */
function readOrganisations(
	rows: RowReader[],
	retiredOrganisations: RetiredOrganisation[],
	organisationsToday: OrganisationToday[],
	unread: UnreadKeys
): {
	list: PlanModel['organisations'];
	rows: Map<string, number>;
	byName: Map<string, string>;
	refusedNames: Set<string>;
} {
	const read = rows.map((r) => {
		const typeLabel = r.text(3);
		const kind = kindOf(typeLabel, ORGANISATION_KIND_LABELS) as OrganisationKind | undefined;
		if (typeLabel && !kind)
			r.problem(
				3,
				`type ${quoted(typeLabel)} inconnu (types possibles : ${ORGANISATION_KINDS.map((k) => ORGANISATION_KIND_LABELS[k]).join(', ')})`
			);
		const slug = codeOf(r, 0, 'd’organisation');
		const name = r.text(1);
		if (keyUnread(r, 0, slug) || keyUnread(r, 1, name)) unread.add('organisations');
		const mixed = mixedScripts(name);
		if (mixed) r.problem(1, `le nom ${quoted(name)} ${mixed}`);
		return {
			reader: r,
			typedName: r.typedText(1),
			item: {
				slug,
				name,
				fullName: r.optionalText(2),
				kind: kind ?? 'public_body'
			}
		};
	});
	const list = uniqueBy(read, (o) => o.slug, 0, 'l’organisation');
	const kept = new Set(list);
	const refusedNames = new Set(
		read
			.filter(({ item }) => !kept.has(item))
			.flatMap(({ typedName, item }) => [item.name, typedName].map(organisationNameKey))
	);
	const rowOf = new Map<string, number>();
	for (const { item, reader } of read)
		if (!rowOf.has(item.slug)) rowOf.set(item.slug, reader.number);
	uniqueBy(
		read,
		(o) => organisationNameKey(o.name),
		1,
		(o, first) =>
			`le nom ${quoted(o.name)} est déjà celui de la ligne ${first} (capitales, accents, espaces et ponctuation mis à part)`
	);
	refuseNamesAsIdentifiers(read, retiredOrganisations);
	// The other sheets name an organisation by its name (as exported) or its identifier; a name
	// that is also another one's identifier (« ADEFPAT » given to adcf) names by its name, whatever
	// the rows' order.
	// An organisation retired from the plan stays on the fiches that name it, and the export names
	// it there though the « Organisations » sheet lists it no more: it is read by its name or
	// identifier, unless a listed organisation has taken that name or identifier.
	// An organisation the sheet renames is read under the name it has today too (the export wrote
	// it on its rows of « Porteurs et partenaires », and the new name, even refused, is said on its
	// own cell), unless a listed organisation has taken that name or identifier.
	// And under its former names, below everything else (renamed since the export, its rows still
	// name it as it was: read under its name today; a merged organisation's name, a former name of
	// the one kept, still names the one merged, said as such).
	const listed = new Set(list.map((o) => o.slug));
	// A name refused for its length is read in full too: the rows that quote it are not also told
	// that it does not exist (its cell says what is wrong).
	const byName = new Map<string, string>([
		...organisationsToday
			.filter((o) => listed.has(o.slug))
			.flatMap((o) => (o.formerNames ?? []).map((n) => [organisationNameKey(n), o.slug] as const)),
		...read
			.filter(({ typedName, item }) => typedName !== '' && typedName !== item.name)
			.map(({ typedName, item }) => [organisationNameKey(typedName), item.slug] as const),
		...retiredOrganisations.map((o) => [o.slug, o.slug] as const),
		...retiredOrganisations.map((o) => [organisationNameKey(o.name), o.slug] as const),
		...organisationsToday
			.filter((o) => listed.has(o.slug))
			.map((o) => [organisationNameKey(o.name), o.slug] as const),
		...list.map((o) => [o.slug, o.slug] as const),
		...list.map((o) => [organisationNameKey(o.name), o.slug] as const)
	]);
	return { list, rows: rowOf, byName, refusedNames };
}

/**
 * A name written as another organisation's identifier: a command naming it (user:create
 * --organisation) would find the one whose identifier it is, not the one with that name.
 */
function refuseNamesAsIdentifiers(
	read: { reader: RowReader; item: { slug: string; name: string } }[],
	retiredOrganisations: RetiredOrganisation[]
): void {
	const bySlug = new Map<string, { slug: string; name: string; row?: number }>([
		...retiredOrganisations.map((o) => [o.slug, o] as const),
		...read.map(({ item, reader }) => [item.slug, { ...item, row: reader.number }] as const)
	]);
	for (const { item, reader } of read) {
		const other = bySlug.get(item.name.trim());
		if (item.name && other && other.slug !== item.slug)
			reader.problem(
				1,
				`le nom ${quoted(item.name)} de l’organisation ${quoted(item.slug)} est l’identifiant de l’organisation ${quoted(other.name)}${other.row ? ` (ligne ${other.row})` : ' (retirée)'} : un nom ne peut pas s’écrire comme l’identifiant d’une autre organisation, choisissez-en un autre`
			);
	}
}

/**
 * The « Fiches » sheet (`list`), the row of each fiche by code (`rows`), and the codes a fiche's
 * code the spreadsheet turned into a date, or a code that is none (« 4-l »: any code of its row's
 * objective, 4-1 to 4-9), may have been (`unreadableCodes`): the other sheets' rows naming one of
 * those are not also reported as naming an unknown fiche; other unknown codes are.
 */
function readFiches(rows: RowReader[], objectiveNumbers: Set<number>, unread: UnreadKeys) {
	const ficheRows = new Map<string, number>();
	const unreadableCodes = new Set<string>();
	const list = uniqueBy(
		rows.map((r) => {
			for (const code of r.codeCandidates(0)) unreadableCodes.add(code);
			const code = r.code(0);
			// A code taken for a date is told by the codes it may have been (unreadableCodes).
			if (keyUnread(r, 0, code) && r.codeCandidates(0).length === 0) unread.add('fiches');
			if (!ficheRows.has(code)) ficheRows.set(code, r.number);
			const objective = r.integer(1, 1, 99);
			const known = unread.has('objectives') ? null : objectiveNumbers;
			if (!checkFicheCode(r, code, objective, known)) {
				// A code that is none (said) may be meant as any of its objective's, or any at all.
				if (Number.isNaN(objective)) unread.add('fiches');
				else for (let n = 1; n <= MAX_FICHE_NUMBER; n++) unreadableCodes.add(`${objective}-${n}`);
			}
			return {
				reader: r,
				item: {
					code,
					objective,
					title: r.text(2),
					shortTitle: r.optionalText(3),
					priority: r.integer(4, PRIORITIES[0], PRIORITIES.at(-1)!),
					context: r.optionalText(5) ?? '',
					existing: r.optionalText(6) ?? '',
					description: r.optionalText(7) ?? '',
					successFactors: r.optionalText(8) ?? '',
					ownersNote: r.optionalText(9)
				}
			};
		}),
		(f) => f.code,
		0,
		'la fiche'
	);
	return { list, rows: ficheRows, unreadableCodes };
}

/**
 * A fiche's code and objective: a code « 4-2 » of an objective 4 of the « Objectifs » sheet.
 * False when the code is filled but is none (said).
 */
function checkFicheCode(
	r: RowReader,
	code: string,
	objective: number,
	objectiveNumbers: Set<number> | null
): boolean {
	const match = FICHE_CODE_PATTERN.exec(code);
	if (code && !match)
		r.problem(
			0,
			`${quoted(code)} n’est pas un code de fiche (numéro de l’objectif, tiret, numéro : 4-2)`
		);
	else if (match && Number(match[1]) !== objective && !Number.isNaN(objective))
		r.problem(
			0,
			// A newcomer would change the code too, which abandons the fiche and adds another.
			`le code ${code} ne correspond pas à l’objectif ${objective} (il commence par son numéro) : une fiche change d’objectif depuis sa page de modification (Administration › Le plan › fiche ${code}, champ « Objectif »), qui lui donne un code de son nouvel objectif ; changer ici aussi son code abandonnerait la fiche ${code} pour en ajouter une autre`
		);
	// null: an objective's number could not be read, this one may be it.
	if (objectiveNumbers && !Number.isNaN(objective) && !objectiveNumbers.has(objective))
		r.problem(
			1,
			`l’objectif ${objective} n’existe pas dans la feuille « ${SHEETS.objectives.name} »`
		);
	return !code || match !== null;
}

/**
 * The fiches the other sheets name by code: one the « Fiches » sheet lacks is refused on each row,
 * and its first problem says how many rows name it and what to do (see unknownFicheGuidance).
 */
class FicheReferences {
	private unknown = new Map<string, { rows: { sheet: string; row: number }[]; first: number }>();

	constructor(
		private codes: Set<string>,
		private unreadableCodes: Set<string>,
		/** A fiche's code could not be read at all: any code may be it. */
		private someUnreadable: boolean,
		private problems: Problems,
		/** The plan's abandoned fiches, which the « Fiches » sheet does not list. */
		private abandoned: Set<string>
	) {}

	/** The code of the fiche a cell names, said when the « Fiches » sheet lacks it. */
	known(r: RowReader, index: number): string {
		const code = r.code(index);
		if (code && !this.codes.has(code) && this.abandoned.has(code))
			r.problem(index, abandonedReference(code, r.sheet === SHEETS.links.name));
		else if (
			code &&
			!this.someUnreadable &&
			!this.codes.has(code) &&
			!this.unreadableCodes.has(code)
		) {
			const known = this.unknown.get(code);
			if (known) known.rows.push({ sheet: r.sheet, row: r.number });
			else
				this.unknown.set(code, {
					rows: [{ sheet: r.sheet, row: r.number }],
					first: this.problems.list.length
				});
			r.problem(
				index,
				`la fiche ${quoted(code)} n’existe pas dans la feuille « ${SHEETS.fiches.name} »`
			);
		}
		return code;
	}

	/** Adds to the first problem of each unknown fiche named on several rows how many and where. */
	guide(): void {
		for (const [code, { rows, first }] of this.unknown) {
			const problem = this.problems.list[first];
			if (problem && rows.length > 1) problem.message += unknownFicheGuidance(code, rows);
		}
	}
}

/**
 * A row naming an abandoned fiche the « Fiches » sheet does not list (the export leaves it out, with
 * its rows and the links to it): said as abandoned, not as unknown; a link in the words of the
 * fiche's form (ABANDONED_LINK_RULE).
 */
function abandonedReference(code: string, link: boolean): string {
	return link
		? `la fiche ${code} est abandonnée : ${ABANDONED_LINK_RULE} ; retirez cette ligne`
		: `la fiche ${code} est abandonnée (elle reste lisible avec son historique) et ne se modifie plus par le classeur : retirez cette ligne`;
}

function readPeople(
	rows: RowReader[],
	fiches: FicheReferences,
	organisations: { byName: Map<string, string>; refusedNames: Set<string> },
	organisationsUnread: boolean
): { list: PlanModel['people']; rows: Map<PlanModel['people'][number], number> } {
	// Each row's organisation as its cell says it, for the problem of a row repeating another.
	const typedNames = new Map<object, string>();
	const rowOf = new Map<PlanModel['people'][number], number>();
	const list = uniqueBy(
		rows.map((r) => {
			const fiche = fiches.known(r, 0);
			const roleLabel = r.text(1);
			const role = kindOf(roleLabel, WORKBOOK_ROLE_WORDS) as 'owner' | 'partner' | undefined;
			if (roleLabel && !role)
				r.problem(1, `rôle ${quoted(roleLabel)} inconnu : « Porteur » ou « Partenaire »`);
			const name = r.text(2);
			const key = organisationNameKey(name);
			const organisation =
				organisations.byName.get(key) ?? organisations.byName.get(name.toLowerCase());
			// A row of « Organisations » refused for its identifier: its own problem is said there.
			if (name && !organisation && !organisationsUnread && !organisations.refusedNames.has(key))
				r.problem(
					2,
					`l’organisation ${quoted(name)} n’existe pas dans la feuille « ${SHEETS.organisations.name} » (ni par son nom ni par son identifiant)`
				);
			const note = r.optionalText(4);
			if (note && role === 'partner') r.problem(4, 'seul un porteur a une note');
			const item = {
				fiche,
				role: role ?? ('owner' as const),
				organisation: organisation ?? name,
				detail: r.optionalText(3),
				note
			};
			typedNames.set(item, name);
			rowOf.set(item, r.number);
			return { reader: r, item };
		}),
		// As the database allows: an organisation owns a fiche once per scope, is a partner once
		// (repeatedOrganisationRows, the fiche's form), told in the form's words.
		(p) =>
			!p.fiche || !p.organisation
				? ''
				: `${p.fiche}, ${WORKBOOK_ROLE_WORDS[p.role].toLowerCase()} ${p.organisation}${p.role === 'owner' && p.detail ? ` (${p.detail})` : ''}`,
		2,
		(p, first) =>
			repeatedOrganisationProblem(
				{ role: p.role, scope: p.role === 'owner' ? p.detail : null },
				typedNames.get(p) ?? p.organisation,
				p.fiche,
				`ligne ${first}`
			)
	);
	return { list, rows: rowOf };
}

function readLinks(rows: RowReader[], fiches: FicheReferences): PlanModel['links'] {
	return uniqueBy(
		rows.map((r) => {
			const fiche = fiches.known(r, 0);
			const linked = fiches.known(r, 1);
			if (fiche && fiche === linked) r.problem(1, 'une fiche ne peut pas être liée à elle-même');
			return { reader: r, item: { fiche, linked } };
		}),
		(l) => (l.fiche && l.linked ? `${l.fiche} → ${l.linked}` : ''),
		1,
		'le lien'
	);
}

/**
 * The « Indicateurs » sheet (`list`), with what each row shows as its latest value and the rows
 * whose baseline has no date (see ShownLatest, UndatedBaseline). Two indicators of a fiche under
 * one label are refused as the fiche's form refuses them (repeatedLabels).
 */
function readIndicators(rows: RowReader[], fiches: FicheReferences) {
	const shownLatest: ShownLatest[] = [];
	const undatedBaselines: UndatedBaseline[] = [];
	const read = rows.map((r) => {
		const fiche = fiches.known(r, 0);
		const kind = indicatorKind(r);
		const values = indicatorValues(r, kind);
		const position = r.integer(1, 1, 99);
		shownLatest.push({ row: r.number, fiche, position, value: r.info(9), date: r.info(10) });
		if (values.baseline !== null && r.blank(8))
			undatedBaselines.push({ row: r.number, fiche, position });
		return {
			reader: r,
			item: {
				fiche,
				position,
				label: r.text(2),
				unit: r.optionalText(3),
				kind: kind ?? 'count',
				...values
			}
		};
	});
	const list = uniqueBy(
		read,
		(i) => (i.fiche && !Number.isNaN(i.position) ? `${i.fiche} n° ${i.position}` : ''),
		1,
		'l’indicateur'
	);
	const kept = new Set(list);
	repeatedLabels(read.filter(({ item }) => kept.has(item)));
	return { list, shownLatest, undatedBaselines };
}

/**
 * Two indicators of one fiche whose labels are alike as titles and names are compared everywhere
 * (foldForMatching): the later row is refused, in the words of the fiche's form
 * (refuseRepeatedLabels, plan-edit.ts), with the row of the other.
 */
function repeatedLabels(
	read: { item: PlanModel['indicators'][number]; reader: RowReader }[]
): void {
	const labelOnRow = new Map(read.map(({ item, reader }) => [reader.number, item.label]));
	uniqueBy(
		read,
		(i) => {
			const folded = foldForMatching(i.label);
			return i.fiche && folded ? `${i.fiche}\u0000${folded}` : '';
		},
		2,
		(_, first) => repeatedIndicatorLabel(quoted(labelOnRow.get(first)!), ` (ligne ${first})`)
	);
}

/** An indicator row's « Nature », undefined when it is missing or unknown (said). */
function indicatorKind(r: RowReader): IndicatorKind | undefined {
	const kindLabel = r.text(4);
	const kind = kindOf(kindLabel, INDICATOR_KIND_CELLS) as IndicatorKind | undefined;
	if (kindLabel && !kind)
		r.problem(
			4,
			`nature ${quoted(kindLabel)} inconnue (natures possibles : ${Object.values(INDICATOR_KIND_CELLS).join(', ')})`
		);
	return kind;
}

/** An indicator row's target and baseline with their dates, checked as the fiche's form does. */
function indicatorValues(r: RowReader, kind: IndicatorKind | undefined) {
	const checked = (index: number): number | null => {
		const value = r.optionalNumber(index, kind);
		// The portal's own rule and words (the fiche's form, a partner's measurement).
		const problem = value !== null && kind ? indicatorValueProblem(kind, value) : null;
		if (problem) r.problem(index, `${value} refusé : ${asProblem(problem)}`);
		return value;
	};
	const target = checked(5);
	const targetDate = r.optionalDate(6);
	const baseline = checked(7);
	const baselineDate = r.optionalDate(8);
	// An empty cell, not a refused one (read as null): that one's own problem is told alone.
	if (targetDate && r.blank(5)) r.problem(5, 'une date de cible demande une cible');
	if (baselineDate && r.blank(7))
		r.problem(7, 'une date de valeur de départ demande une valeur de départ');
	const dateProblems = indicatorDateProblems(targetDate, baselineDate, 'valeur de départ');
	if (dateProblems.target) r.problem(6, asProblem(dateProblems.target));
	if (dateProblems.baseline) r.problem(8, asProblem(dateProblems.baseline));
	return { target, targetDate, baseline, baselineDate };
}
