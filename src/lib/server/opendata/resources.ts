import { createHash } from 'node:crypto';
import { FICHE_STATUSES } from '../../utils/vocabulary';
import { parisDate } from '../../utils/dates';
import { readTransaction, type Executor } from '../db';
import type { FicheStatus } from '../db/schema';
import { getDataRevision } from '../db/revision';
import type { DashboardInput } from '../dashboard/figures';
import { csvFiles, csvLine, toCsv, type CsvValue } from './csv';
import {
	buildPlanDocument,
	indicatorId,
	planDocumentToJson,
	toTimestamp,
	type PlanDocument
} from './plan-document';
import {
	listClosedDecisions,
	listIndicatorLabels,
	listMeasurementYears,
	listPlanChanges,
	listPublishedMeasurements,
	listValidatedUpdates,
	type UpdateRow
} from './repository';
import { DECISION_TYPES, decisionType } from './decision-type';
import { OPEN_DATA_FILE } from '../../utils/open-data-files';
import { CSV_MEDIA_TYPE } from '../csv';

/** Open data `sdusn/plan@2` (docs/open-data.md): its files, their Table Schemas and their bytes. */

export const LICENCE = {
	name: 'etalab-2.0',
	path: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
	title: 'Licence Ouverte 2.0'
} as const;

type FieldType = 'string' | 'integer' | 'number' | 'date' | 'datetime';

export interface TableField {
	name: string;
	type: FieldType;
	description: string;
	constraints?: {
		required?: boolean;
		enum?: (string | number)[];
		minimum?: number;
		maximum?: number;
		pattern?: string;
	};
}

const FREE_TEXT =
	' Texte libre : une cellule qui commencerait par =, +, -, @, une tabulation, un retour chariot ou une apostrophe est précédée d’une apostrophe ; à la lecture, retirez l’apostrophe initiale de toute cellule qui en a une.';

/** A column of free text: written through protectFormula, and its description says so. */
const text = (
	name: string,
	description: string,
	required = false
): TableField & { free: true } => ({
	name,
	type: 'string',
	description,
	...(required ? { constraints: { required: true } } : {}),
	free: true
});

// Table Schema patterns are XML Schema regular expressions, which match the whole value: no ^…$
// (there, literal characters a strict validator would require).
const FICHE_CODE = { required: true, pattern: '[1-9][0-9]?-[1-9]' };
const STATUS_ENUM = [...FICHE_STATUSES];
const PERCENT = { minimum: 0, maximum: 100 };

export interface TableSpec {
	fields: (TableField & { free?: true })[];
	primaryKey?: string[];
}

export const TABLES = {
	fiches: {
		fields: [
			{ name: 'code', type: 'string', description: 'Code de la fiche.', constraints: FICHE_CODE },
			{
				name: 'objectif',
				type: 'integer',
				description: 'Numéro de l’objectif.',
				constraints: { required: true, minimum: 1 }
			},
			{
				name: 'axe',
				type: 'string',
				description: 'Code de l’axe.',
				constraints: { required: true }
			},
			{
				name: 'orientation',
				type: 'string',
				description: 'Code de l’orientation.',
				constraints: { required: true }
			},
			text('titre', 'Intitulé de la fiche.', true),
			{
				name: 'priorite',
				type: 'integer',
				description: 'Priorité en vigueur.',
				constraints: { required: true, enum: [1, 2] }
			},
			text(
				'porteurs',
				'Organisations porteuses, leur périmètre entre parenthèses, séparées par « | ».'
			),
			text('partenaires', 'Partenaires envisageables, séparés par « | ».'),
			{
				name: 'fiches_liees',
				type: 'string',
				description: 'Codes des fiches citées par la fiche, séparés par « | ».'
			},
			{
				name: 'statut',
				type: 'string',
				description: 'Statut en vigueur.',
				constraints: { required: true, enum: STATUS_ENUM }
			},
			{
				name: 'avancement',
				type: 'integer',
				description: 'Avancement en pourcentage, vide tant qu’il n’a jamais été évalué.',
				constraints: PERCENT
			},
			{
				name: 'derniere_mise_a_jour',
				type: 'date',
				description: 'Date de la dernière mise à jour validée.'
			}
		],
		primaryKey: ['code']
	},
	mesures: {
		fields: [
			{ name: 'fiche', type: 'string', description: 'Code de la fiche.', constraints: FICHE_CODE },
			{
				name: 'indicateur',
				type: 'string',
				description: 'Identifiant de l’indicateur (celui de plan.json) : code de la fiche et rang.',
				constraints: { required: true, pattern: '[1-9][0-9]?-[1-9]-[1-9][0-9]*' }
			},
			text('libelle', 'Intitulé de l’indicateur.', true),
			text('unite', 'Unité de la valeur, vide si aucune.'),
			{
				name: 'date',
				type: 'date',
				description: 'Date de la mesure.',
				constraints: { required: true }
			},
			{
				name: 'valeur',
				type: 'number',
				description: 'Valeur mesurée.',
				constraints: { required: true }
			}
		]
	},
	'mises-a-jour': {
		fields: [
			{ name: 'fiche', type: 'string', description: 'Code de la fiche.', constraints: FICHE_CODE },
			{
				name: 'date',
				type: 'date',
				description: 'Date de la situation décrite.',
				constraints: { required: true }
			},
			{
				name: 'statut',
				type: 'string',
				description: 'Statut déclaré, vide s’il n’a pas changé.',
				constraints: { enum: STATUS_ENUM }
			},
			{
				name: 'avancement',
				type: 'integer',
				description: 'Avancement déclaré en pourcentage, vide s’il n’a pas été évalué.',
				constraints: PERCENT
			},
			text('realise', 'Ce qui a été réalisé.'),
			text('prochaines_etapes', 'Prochaines étapes.'),
			text('difficultes', 'Difficultés rencontrées.'),
			text(
				'organisation',
				'Organisation qui a rendu compte (jamais le nom d’une personne) ; vide pour un statut fixé par Lot numérique en application d’une décision de la commission.'
			),
			{
				name: 'valide_le',
				type: 'date',
				description: 'Date de validation par l’équipe de Lot numérique.'
			}
		]
	},
	decisions: {
		fields: [
			{
				name: 'seance',
				type: 'integer',
				description: 'Numéro de la séance de la commission.',
				constraints: { required: true, minimum: 1 }
			},
			{
				name: 'date_seance',
				type: 'date',
				description: 'Date de la séance.',
				constraints: { required: true }
			},
			{
				name: 'fiche',
				type: 'string',
				description: 'Code de la fiche examinée, vide pour un point hors fiche.',
				constraints: { pattern: FICHE_CODE.pattern }
			},
			{
				name: 'type',
				type: 'string',
				description:
					'Nature de la décision : priorite (changement de priorité), avis_favorable, avis_reserve, avis_defavorable, prise_acte ou libre.',
				constraints: { required: true, enum: [...DECISION_TYPES] }
			},
			{
				name: 'priorite_avant',
				type: 'integer',
				description: 'Priorité avant la décision (changement de priorité seulement).',
				constraints: { enum: [1, 2] }
			},
			{
				name: 'priorite_apres',
				type: 'integer',
				description: 'Priorité décidée (changement de priorité seulement).',
				constraints: { enum: [1, 2] }
			},
			text(
				'motif',
				'Motif ou texte de la décision ; pour un point hors fiche, son intitulé d’abord.',
				true
			)
		]
	}
} satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;

function tableCsv(table: TableName, rows: CsvValue[][]): string {
	const { fields } = TABLES[table] as TableSpec;
	return toCsv(
		fields.map((f) => f.name),
		fields.map((f) => f.free === true),
		rows
	);
}

/** One file of the open data, as served. */
export interface OpenDataFile {
	/** Resource name in the data package: `plan`, `mesures-2019`… */
	name: string;
	/** File name, relative to `/donnees/` or to an edition's `/bilans/[year]/`. */
	path: string;
	body: Uint8Array;
	/** Rows of a CSV; fiches of plan.json; files described by datapackage.json. */
	count: number;
	/** Day of the latest change of what the file holds (YYYY-MM-DD). */
	lastChange: string;
}

/** `mesures-2019.csv` → `mesures-2019`; undefined for a name that is not an open-data file. */
export function resourceOfPath(path: string): string | undefined {
	const match = OPEN_DATA_FILE.exec(path);
	return match ? (match[1] ?? match[2]) : undefined;
}

export const pathOfResource = (name: string) =>
	name === 'plan' || name === 'datapackage' ? `${name}.json` : `${name}.csv`;

export function mediaTypeOf(path: string): string {
	return path.endsWith('.json') ? 'application/json; charset=utf-8' : CSV_MEDIA_TYPE;
}

/** Titles shown on /donnees and in the data package. */
export function resourceTitle(name: string): string {
	const year = /^mesures-(\d{4})$/.exec(name)?.[1];
	if (year) return `Mesures des indicateurs datées de ${year}`;
	return (
		{
			datapackage: 'Description des fichiers (Data Package)',
			plan: 'Le plan et son état d’avancement',
			fiches: 'Les fiches-actions',
			mesures: 'Toutes les mesures publiées des indicateurs',
			'mises-a-jour': 'Les mises à jour validées',
			decisions: 'Les décisions de la commission des usages numériques'
		}[name] ?? name
	);
}

const encoder = new TextEncoder();
/** The day of a UTC timestamp in Paris (a validation at 00:30 there is of that day), or ''. */
const day = (timestamp: string | null | undefined) =>
	timestamp ? parisDate(new Date(timestamp)) : '';
const latestDay = (values: (string | null)[], fallback: string) =>
	values.reduce<string>((max, v) => (v && day(v) > max ? day(v) : max), '') || fallback;

function file(name: string, content: string, count: number, lastChange: string): OpenDataFile {
	return fileOfBytes(name, encoder.encode(content), count, lastChange);
}

function fileOfBytes(
	name: string,
	body: Uint8Array<ArrayBuffer>,
	count: number,
	lastChange: string
): OpenDataFile {
	return { name, path: pathOfResource(name), body, count, lastChange };
}

const JOIN = ' | ';

function fichesFile(document: PlanDocument, lastChange: string): OpenDataFile {
	const orientationOf = new Map(document.objectives.map((o) => [o.number, o.orientation]));
	const axisOf = new Map(document.orientations.map((o) => [o.code, o.axis]));
	const rows = document.fiches.map((f) => {
		const orientation = orientationOf.get(f.objective) ?? '';
		return [
			f.code,
			f.objective,
			axisOf.get(orientation) ?? '',
			orientation,
			f.title,
			f.priority,
			f.owners.map((o) => (o.scope ? `${o.organisation} (${o.scope})` : o.organisation)).join(JOIN),
			f.partners.join(JOIN),
			f.linked.join(JOIN),
			f.status,
			f.progress,
			f.last_update
		];
	});
	return file('fiches', tableCsv('fiches', rows), rows.length, lastChange);
}

/**
 * Each update's `statut` as mises-a-jour.csv writes it: empty when it states the status its fiche
 * already had — the one the rows before it (same fiche, earlier in the file's order) last stated,
 * « à lancer » before any, as the fiche's status as of a day is read — so that a status written is
 * a change. An update stating « abandonnée » abandons nothing (the plan does, findStatingUpdates):
 * written, it leaves the status in force as it was.
 */
function changedStatuses(updates: UpdateRow[]): UpdateRow[] {
	let fiche: string | null = null;
	let inForce: FicheStatus = 'a_lancer';
	return updates.map((u) => {
		if (u.fiche !== fiche) [fiche, inForce] = [u.fiche, 'a_lancer'];
		if (u.status === null || u.status === inForce) return { ...u, status: null };
		if (u.status !== 'abandonnee') inForce = u.status;
		return u;
	});
}

export interface OpenDataOptions {
	/** When published data last changed (live) or when the edition was published. */
	generatedAt: string;
	/**
	 * Live: the revision of published data the set stands for. Each reading checks it in its own
	 * transaction, so that every file of the set shows that one state (StaleOpenData otherwise).
	 */
	revision?: number;
	/** An edition: everything as it stood at the end of `asOf`. */
	edition?: { asOf: string; state: DashboardInput; year: number; version: number };
}

/** Published data changed while a live set was being built: a new set gives the new state. */
export class StaleOpenData extends Error {
	constructor() {
		super('Les données publiées ont changé pendant la lecture : relisez-les.');
	}
}

/**
 * Every file of the open data for one state of the database, each built on first demand and kept:
 * the live files once per change of published data, an edition's once, when it is published.
 */
export class OpenDataSet {
	#plan?: Promise<PlanDocument>;
	#measurements?: Promise<OpenDataFile[]>;
	#changes?: ReturnType<typeof listPlanChanges>;
	readonly #files = new Map<string, Promise<OpenDataFile | undefined>>();

	constructor(
		readonly db: Executor,
		readonly options: OpenDataOptions
	) {}

	/**
	 * Runs reads on the set's state: an edition's set is built in its publication's transaction; a
	 * live set's reads each run in a read transaction (readTransaction: another process's write lock,
	 * a backup's or an import's, does not stop them) that first checks the revision of published
	 * data, so that a validation committed between two of them is seen by none (StaleOpenData).
	 */
	#read<T>(reads: (db: Executor) => Promise<T>): Promise<T> {
		const revision = this.options.revision;
		if (revision === undefined) return reads(this.db);
		return readTransaction(this.db, async (trx) => {
			if (((await getDataRevision(trx))?.revision ?? 0) !== revision) throw new StaleOpenData();
			return reads(trx);
		});
	}

	get #asOf() {
		return this.options.edition?.asOf;
	}

	get #generatedDay() {
		return day(this.options.generatedAt);
	}

	/**
	 * The day a file last changed: its rows' latest validation (or closing), or the plan's latest
	 * change to a fiche or an organisation the file names (a code, an indicator's label or unit, a
	 * name are in its bytes), whichever is later; the day published data last changed when it has
	 * no row.
	 */
	async #lastChange(
		timestamps: (string | null)[],
		fiches: Iterable<string | null>,
		organisations: Iterable<string | null> = []
	): Promise<string> {
		const changes = await (this.#changes ??= this.#read(listPlanChanges));
		const planChanges = [
			...[...fiches].map((code) => (code === null ? null : (changes.fiches.get(code) ?? null))),
			...[...organisations].map((name) =>
				name === null ? null : (changes.organisations.get(name) ?? null)
			)
		];
		return latestDay([...timestamps, ...planChanges], this.#generatedDay);
	}

	#planDocument(): Promise<PlanDocument> {
		return (this.#plan ??= this.#read((db) =>
			buildPlanDocument(db, this.options.generatedAt, this.options.edition)
		));
	}

	/** mesures.csv and one mesures-YYYY.csv per year that has any, from one reading. */
	#measurementFiles(): Promise<OpenDataFile[]> {
		return (this.#measurements ??= (async () => {
			const [indicators, years, rows] = await this.#read(
				async (db) =>
					[
						await listIndicatorLabels(db),
						await listMeasurementYears(db, this.#asOf),
						await listPublishedMeasurements(db, this.#asOf)
					] as const
			);
			// Each row is written once, into the full file and its year's.
			const { fields } = TABLES.mesures as TableSpec;
			const free = fields.map((f) => f.free === true);
			const described = new Map(
				indicators.map((i) => [
					i.id,
					{
						code: i.code,
						prefix: `${csvLine([i.code, indicatorId(i.code, i.position), i.label, i.unit], free)},`
					}
				])
			);
			// Each year's count of rows, and the fiches its file names: their changes in the plan date it too.
			const ofYear = new Map(years.map((y) => [y.year, { count: 0, fiches: new Set<string>() }]));
			for (const m of rows) {
				const year = ofYear.get(m.date.slice(0, 4))!;
				year.count++;
				year.fiches.add(described.get(m.indicator)!.code);
			}
			const bodies = csvFiles(
				fields.map((f) => f.name),
				['mesures', ...years.map((y) => `mesures-${y.year}`)],
				rows,
				(m) => described.get(m.indicator)!.prefix + csvLine([m.date, m.value], []),
				(m) => ['mesures', `mesures-${m.date.slice(0, 4)}`]
			);
			const all = fileOfBytes(
				'mesures',
				bodies.get('mesures')!,
				rows.length,
				await this.#lastChange(
					years.map((y) => y.validatedAt),
					[...ofYear.values()].flatMap((y) => [...y.fiches])
				)
			);
			const yearly = years.map(async (y) => {
				const { count, fiches } = ofYear.get(y.year)!;
				const name = `mesures-${y.year}`;
				return fileOfBytes(
					name,
					bodies.get(name)!,
					count,
					await this.#lastChange([y.validatedAt], fiches)
				);
			});
			return [all, ...(await Promise.all(yearly))];
		})());
	}

	async #build(name: string): Promise<OpenDataFile | undefined> {
		switch (name) {
			case 'plan': {
				const document = await this.#planDocument();
				return file(
					'plan',
					planDocumentToJson(document),
					document.fiches.length,
					this.#generatedDay
				);
			}
			case 'fiches':
				return fichesFile(await this.#planDocument(), this.#generatedDay);
			case 'mises-a-jour': {
				const updates = changedStatuses(
					await this.#read((db) => listValidatedUpdates(db, this.#asOf))
				);
				const rows = updates.map((u) => [
					u.fiche,
					u.date,
					u.status,
					u.progress,
					u.done,
					u.nextSteps,
					u.difficulties,
					u.organisation,
					day(u.validatedAt) || null
				]);
				const lastChange = await this.#lastChange(
					updates.map((u) => u.validatedAt),
					new Set(updates.map((u) => u.fiche)),
					new Set(updates.map((u) => u.organisation))
				);
				return file('mises-a-jour', tableCsv('mises-a-jour', rows), rows.length, lastChange);
			}
			case 'decisions': {
				const decisions = await this.#read((db) => listClosedDecisions(db, this.#asOf));
				const rows = decisions.map((d) => [
					d.sitting,
					d.heldOn,
					d.fiche,
					decisionType(d),
					d.kind === 'priority' ? d.previousPriority : null,
					d.kind === 'priority' ? d.newPriority : null,
					d.fiche === null && d.itemTitle ? `${d.itemTitle} : ${d.text}` : d.text
				]);
				const lastChange = await this.#lastChange(
					decisions.map((d) => d.closedAt ?? d.heldOn),
					new Set(decisions.map((d) => d.fiche))
				);
				return file('decisions', tableCsv('decisions', rows), rows.length, lastChange);
			}
			case 'datapackage':
				return this.#dataPackage();
			default:
				if (name === 'mesures' || /^mesures-\d{4}$/.test(name))
					return (await this.#measurementFiles()).find((f) => f.name === name);
				return undefined;
		}
	}

	/** One file by resource name (`plan`, `mesures-2019`…), or undefined when there is none. */
	file(name: string): Promise<OpenDataFile | undefined> {
		let built = this.#files.get(name);
		if (!built) {
			built = this.#build(name);
			this.#files.set(name, built);
		}
		return built;
	}

	/** Every file but the data package, in the package's order. */
	async #dataFiles(): Promise<OpenDataFile[]> {
		const measurements = await this.#measurementFiles();
		const files = [
			await this.file('plan'),
			await this.file('fiches'),
			...measurements,
			await this.file('mises-a-jour'),
			await this.file('decisions')
		];
		return files.filter((f): f is OpenDataFile => f !== undefined);
	}

	/** Every file, the data package first. */
	async all(): Promise<OpenDataFile[]> {
		const files = await this.#dataFiles();
		return [(await this.file('datapackage'))!, ...files];
	}

	async #dataPackage(): Promise<OpenDataFile> {
		const files = await this.#dataFiles();
		const document = await this.#planDocument();
		const edition = this.options.edition;
		const descriptor = {
			profile: 'data-package',
			name: edition ? `sdusn-lot-bilan-${edition.year}-v${edition.version}` : 'sdusn-lot',
			title: edition
				? `${document.plan.title} — bilan ${edition.year} (version ${edition.version}, au ${edition.asOf})`
				: document.plan.title,
			description:
				'Le plan d’actions du schéma des usages et services numériques du Lot et son suivi : fiches-actions, indicateurs et leurs mesures, mises à jour validées, décisions de la commission. Données publiées seulement, sans donnée personnelle. Format sdusn/plan@2.',
			created: toTimestamp(this.options.generatedAt),
			licenses: [LICENCE],
			resources: files.map((f) => {
				const table = f.name.startsWith('mesures') ? 'mesures' : f.name;
				const spec = (TABLES as Record<string, TableSpec>)[table];
				const common = {
					name: f.name,
					path: f.path,
					title: resourceTitle(f.name),
					format: f.path.endsWith('.json') ? 'json' : 'csv',
					mediatype: f.path.endsWith('.json') ? 'application/json' : 'text/csv',
					encoding: 'utf-8',
					bytes: f.body.byteLength,
					hash: `sha256:${createHash('sha256').update(f.body).digest('hex')}`
				};
				if (!spec) return { profile: 'data-resource', ...common };
				return {
					profile: 'tabular-data-resource',
					...common,
					dialect: {
						delimiter: ',',
						lineTerminator: '\n',
						quoteChar: '"',
						doubleQuote: true,
						header: true
					},
					schema: {
						fields: spec.fields.map(({ free, ...field }) =>
							free ? { ...field, description: field.description + FREE_TEXT } : field
						),
						missingValues: [''],
						...(spec.primaryKey ? { primaryKey: spec.primaryKey } : {})
					}
				};
			})
		};
		const lastChange = files.reduce((max, f) => (f.lastChange > max ? f.lastChange : max), '');
		return file(
			'datapackage',
			`${JSON.stringify(descriptor, null, '\t')}\n`,
			files.length,
			lastChange
		);
	}
}
