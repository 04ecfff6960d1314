import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EditionPlanDocumentSchema, PlanDocumentSchema } from './testing';
import { type User } from '../auth/users';
import { createTestUser, PEOPLE } from '../auth/testing';
import { heldSitting } from '../commission/testing';
import { updateFiche } from '../authoring/fiches';
import { editOrganisation } from '../authoring/organisations';
import { editedFiche, moveFiche } from '../authoring/testing';
import type { Db } from '../db';
import type { FicheStatus } from '../db/schema';
import { getDataRevision } from '../db/revision';
import { createTestDb } from '../db/testing';
import { findPublishedFile, findPublishedSnapshot } from '../editions/repository';
import { tableToCsv } from '../dashboard/tables';
import { publishEdition, saveEditionDraft } from '../editions/service';
import { reviewProgressUpdate, saveProgressUpdate, setFicheStatus } from '../progress/service';
import { createPartner, progressInput } from '../progress/testing';
import { protectFormula } from '../csv';
import { openDataFile, packageOfVersion, readLiveOpenData } from './published';
import {
	OpenDataSet,
	pathOfResource,
	TABLES,
	type OpenDataFile,
	type TableField,
	type TableSpec
} from './resources';

let db: Db;
let admin: User;
let partner: User;

beforeEach(async () => {
	db = await createTestDb();
	admin = await createTestUser(db, {
		...PEOPLE.admin,
		email: 'anne.admin@lot-numerique.fr',
		name: 'Anne Administratrice'
	});
	partner = await createPartner(db, 'cdg46', 'paulette.partenaire@cdg46.fr');
});
afterEach(async () => {
	await db.destroy();
});

/** The fiche's first indicator, or the one at `position`. */
async function indicatorOf(code: string, position?: number): Promise<number> {
	const row = await db
		.selectFrom('indicator')
		.innerJoin('fiche', 'fiche.id', 'indicator.fiche_id')
		.select('indicator.id')
		.where('fiche.code', '=', code)
		.$if(position !== undefined, (q) => q.where('indicator.position', '=', position!))
		.orderBy('indicator.position')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** Saves an update of the partner's fiche; validated, returned with a comment, submitted or draft. */
async function update(
	code: string,
	reportedOn: string,
	outcome: 'validate' | 'return' | 'submitted' | 'draft',
	fields: {
		done?: string;
		measurements?: ([string, number] | [string, number, string])[];
		comment?: string;
		/** The position of the measured indicator (the first one otherwise). */
		indicator?: number;
		/** The status stated (« en cours » otherwise). */
		status?: FicheStatus;
	} = {}
): Promise<number> {
	const indicatorId = await indicatorOf(code, fields.indicator);
	const created = await saveProgressUpdate(
		db,
		partner,
		code,
		null,
		progressInput({
			reportedOn,
			progress: 40,
			done: fields.done ?? `Avancée du ${reportedOn}`,
			intent: outcome === 'draft' ? 'draft' : 'submit',
			...(fields.status ? { status: fields.status } : {}),
			measurements: (fields.measurements ?? []).map(([measuredOn, value, comment]) => ({
				indicatorId,
				measuredOn,
				value,
				comment: comment ?? null
			}))
		}),
		null
	);
	if (!created.ok) throw new Error(`update: ${JSON.stringify(created)}`);
	if (outcome === 'validate' || outcome === 'return')
		await reviewProgressUpdate(
			db,
			admin,
			{ updateId: created.value.id, version: 1, decision: outcome, comment: fields.comment ?? '' },
			null
		);
	return created.value.id;
}

/** Validated history over three years, with texts a spreadsheet would take for formulas. */
async function seedHistory() {
	await update('9-1', '2019-03-01', 'validate', {
		done: '=HYPERLINK("http://exemple.test";"cliquez")',
		measurements: [
			['2019-02-28', 12],
			['2019-06-30', -3.5]
		]
	});
	await update('9-1', '2020-05-01', 'validate', { measurements: [['2020-04-30', 20]] });
	await update('9-1', '2021-01-15', 'validate', { measurements: [['2021-01-10', 31]] });
	await update('9-1', '2021-02-15', 'validate', { measurements: [['2021-01-10', 32]] });
	await db
		.updateTable('fiche')
		.set({ title: '+33 fiche, « titre » avec "guillemets"\net retour' })
		.where('code', '=', '2-1')
		.execute();
}

const SECRETS = [
	'BROUILLON-SECRET',
	'EN-ATTENTE-SECRET',
	'RENVOI-SECRET',
	'COMMENTAIRE-INTERNE',
	'COMMENTAIRE-DE-VALIDATION',
	'COMMENTAIRE-DE-MESURE',
	'SEANCE-NON-CLOSE',
	'Paulette',
	'paulette.partenaire',
	'Anne Administratrice',
	'@cdg46.fr',
	'lot-numerique.fr',
	'987654'
];

/**
 * Everything that must never leave the database: drafts, pending and returned updates, comments
 * (of a review, and of a validated update's measurement).
 */
async function seedSecrets() {
	// One open update per fiche and organisation: the draft, the pending and the returned update
	// each sit on a fiche of their own.
	await update('1-1', '2021-03-01', 'draft', {
		done: 'BROUILLON-SECRET',
		measurements: [['2021-03-01', 987654]]
	});
	await update('1-2', '2021-04-01', 'submitted', {
		done: 'EN-ATTENTE-SECRET',
		measurements: [['2021-04-01', 987654]]
	});
	await update('5-1', '2021-05-01', 'return', {
		done: 'RENVOI-SECRET',
		comment: 'COMMENTAIRE-INTERNE',
		measurements: [['2021-05-01', 987654]]
	});
	await update('6-1', '2021-06-01', 'validate', {
		comment: 'COMMENTAIRE-DE-VALIDATION',
		measurements: [['2021-06-01', 7, 'COMMENTAIRE-DE-MESURE']]
	});
	await heldSitting(db, admin, {
		heldOn: '2021-06-10',
		title: 'SEANCE-NON-CLOSE',
		decisions: [{ kind: 'priority', newPriority: 1, text: 'SEANCE-NON-CLOSE motif' }]
	});
}

async function publishYear(year: number) {
	const draft = await saveEditionDraft(db, admin, {
		year,
		asOf: `${year}-12-31`,
		intro: `Bilan ${year}`,
		axisTexts: {},
		changeNote: null
	});
	if (!draft.ok) throw new Error('draft');
	await publishEdition(db, admin, draft.value.id);
}

/** Every file of the year's published edition (latest version), as the package names them. */
async function editionFiles(year: number): Promise<OpenDataFile[]> {
	const stored = async (name: string) =>
		new Uint8Array((await openDataFile(db, name, { year }))!.body);
	const { resources } = JSON.parse(
		Buffer.from(await stored('datapackage')).toString()
	) as Descriptor;
	return Promise.all(
		['datapackage', ...resources.map((r) => r.name)].map(async (name) => {
			const path = pathOfResource(name);
			const body = await stored(name);
			return { name, path, body, count: strictCsvCount(path, body), lastChange: '' };
		})
	);
}

async function liveSet(): Promise<OpenDataSet> {
	return new OpenDataSet(db, { generatedAt: (await getDataRevision(db))!.changedAt });
}

const text = (file: Pick<OpenDataFile, 'body'>) => Buffer.from(file.body).toString('utf8');
const strictCsv = (csv: string) =>
	parse(csv, { bom: false, relax_quotes: false, relax_column_count: false }) as string[][];

/**
 * A cell against its Table Schema field: type, required, enum, range, pattern (an XML Schema
 * regular expression, anchored at both ends by the standard itself).
 */
function cellProblem(field: TableField, cell: string): string | null {
	const c = field.constraints ?? {};
	if (cell === '') return c.required ? 'vide' : null;
	let value: string | number = cell;
	switch (field.type) {
		case 'integer':
			if (!/^-?\d+$/.test(cell)) return 'pas un entier';
			value = Number(cell);
			break;
		case 'number':
			if (!/^-?\d+(\.\d+)?$/.test(cell)) return 'pas un nombre';
			value = Number(cell);
			break;
		case 'date':
			if (!/^\d{4}-\d{2}-\d{2}$/.test(cell) || Number.isNaN(Date.parse(cell)))
				return 'pas une date';
			break;
		case 'datetime':
			if (Number.isNaN(Date.parse(cell))) return 'pas une date et heure';
			break;
	}
	if (c.enum && !c.enum.includes(value)) return `hors de ${c.enum.join('/')}`;
	if (c.minimum !== undefined && (value as number) < c.minimum) return 'trop petit';
	if (c.maximum !== undefined && (value as number) > c.maximum) return 'trop grand';
	if (c.pattern && !new RegExp(`^(?:${c.pattern})$`).test(cell)) return 'hors motif';
	return null;
}

interface Descriptor {
	created: string;
	licenses: { name: string }[];
	resources: {
		name: string;
		path: string;
		bytes: number;
		hash: string;
		profile: string;
		schema?: { fields: TableField[]; primaryKey?: string[] };
	}[];
}

/** Checks a package against its files; returns the files by path. */
function checkPackage(files: OpenDataFile[]): Map<string, OpenDataFile> {
	const byPath = new Map(files.map((f) => [f.path, f]));
	const descriptor = JSON.parse(text(byPath.get('datapackage.json')!)) as Descriptor;
	expect(descriptor.licenses).toEqual([expect.objectContaining({ name: 'etalab-2.0' })]);
	expect(descriptor.resources.map((r) => r.path).sort()).toEqual(
		[...byPath.keys()].filter((p) => p !== 'datapackage.json').sort()
	);
	for (const resource of descriptor.resources) {
		const file = byPath.get(resource.path);
		expect(file, resource.path).toBeDefined();
		expect(resource.bytes).toBe(file!.body.byteLength);
		expect(resource.hash).toBe(`sha256:${createHash('sha256').update(file!.body).digest('hex')}`);
		if (!resource.schema) continue;
		const rows = strictCsv(text(file!));
		expect(rows[0], resource.path).toEqual(resource.schema.fields.map((f) => f.name));
		expect(rows.length - 1).toBe(file!.count);
		const problems: string[] = [];
		for (const [r, row] of rows.slice(1).entries())
			for (const [i, field] of resource.schema.fields.entries()) {
				const problem = cellProblem(field, row[i]!);
				if (problem) problems.push(`${resource.path} ligne ${r + 2} ${field.name} : ${problem}`);
			}
		expect(problems).toEqual([]);
		for (const key of [resource.schema.primaryKey ?? []].filter((k) => k.length > 0)) {
			const indexes = key.map((k) => rows[0]!.indexOf(k));
			const values = rows.slice(1).map((row) => indexes.map((i) => row[i]).join('|'));
			expect(new Set(values).size).toBe(values.length);
		}
	}
	expect(foreignKeyProblems(byPath)).toEqual([]);
	return byPath;
}

/**
 * Rows naming a fiche that fiches.csv does not list, or an indicator that plan.json does not: a
 * reuser joins the files on these columns, live and in every edition.
 */
function foreignKeyProblems(byPath: Map<string, OpenDataFile>): string[] {
	const plan = JSON.parse(text(byPath.get('plan.json')!)) as {
		fiches: { indicators: { id: string }[] }[];
	};
	const indicators = new Set(plan.fiches.flatMap((f) => f.indicators.map((i) => i.id)));
	const fiches = new Set(strictCsv(text(byPath.get('fiches.csv')!)).map((row) => row[0]));
	const problems: string[] = [];
	for (const [path, file] of byPath) {
		if (!path.endsWith('.csv') || path === 'fiches.csv') continue;
		const [header, ...rows] = strictCsv(text(file));
		const fiche = header!.indexOf('fiche');
		const indicator = header!.indexOf('indicateur');
		for (const row of rows) {
			if (row[fiche] !== '' && !fiches.has(row[fiche])) problems.push(`${path} : ${row[fiche]}`);
			if (indicator >= 0 && !indicators.has(row[indicator]!))
				problems.push(`${path} : ${row[indicator]}`);
		}
	}
	return problems;
}

describe('open data sdusn/plan@2', () => {
	it('is a valid data package: every file it names, every header and value as its Table Schema says', async () => {
		await seedHistory();
		const files = await (await liveSet()).all();
		const byPath = checkPackage(files);
		expect([...byPath.keys()]).toEqual([
			'datapackage.json',
			'plan.json',
			'fiches.csv',
			'mesures.csv',
			'mesures-2018.csv',
			'mesures-2019.csv',
			'mesures-2020.csv',
			'mesures-2021.csv',
			'mises-a-jour.csv',
			'decisions.csv'
		]);
		const plan = JSON.parse(text(byPath.get('plan.json')!));
		expect(() => PlanDocumentSchema.parse(plan)).not.toThrow();
		expect(plan.fiches).toHaveLength(23);
		// The oracle holds fiche codes to the published pattern (docs/open-data.md): « 01-1 » and
		// « 4-10 » are no codes, though digits, dash, digits.
		for (const code of ['01-1', '4-10', '0-1'])
			expect(
				PlanDocumentSchema.safeParse({
					...plan,
					fiches: [{ ...plan.fiches[0], code }, ...plan.fiches.slice(1)]
				}).success,
				code
			).toBe(false);
		// Patterns match the whole value without ^…$, which XML Schema would read as characters.
		const patterns = (Object.values(TABLES) as TableSpec[]).flatMap((t) =>
			t.fields.flatMap((f) => f.constraints?.pattern ?? [])
		);
		expect(patterns.length).toBeGreaterThan(0);
		for (const pattern of patterns) expect(pattern).not.toMatch(/^\^|\$$/);
		const code: TableField = TABLES.fiches.fields[0]!;
		expect(cellProblem(code, '19-1')).toBeNull();
		for (const cell of ['x9-1', '9-1x', '01-1', '4-10'])
			expect(cellProblem(code, cell), cell).toBe('hors motif');
		expect(strictCsv(text(byPath.get('decisions.csv')!)).slice(1)).toHaveLength(
			(await db.selectFrom('decision').select('id').execute()).length
		);
	});

	it('writes every CSV as the spec says: no BOM, \\n line ends, strict RFC 4180', async () => {
		await seedHistory();
		for (const file of await (await liveSet()).all()) {
			if (!file.path.endsWith('.csv')) continue;
			const csv = text(file);
			expect(csv.charCodeAt(0)).not.toBe(0xfeff);
			expect(csv.endsWith('\n')).toBe(true);
			expect(csv.replaceAll(/"[^"]*"/g, '')).not.toContain('\r');
			expect(() => strictCsv(csv)).not.toThrow();
		}
	});

	it('keeps mesures.csv exactly the union of the mesures-YYYY.csv, each holding its year only', async () => {
		await seedHistory();
		const files = await (await liveSet()).all();
		const all = strictCsv(text(files.find((f) => f.name === 'mesures')!));
		const years = files.filter((f) => /^mesures-\d{4}$/.test(f.name));
		const union: string[][] = [];
		for (const file of years) {
			const [header, ...rows] = strictCsv(text(file));
			expect(header).toEqual(all[0]);
			const year = file.name.slice(-4);
			expect(rows.every((row) => row[4]!.startsWith(`${year}-`))).toBe(true);
			union.push(...rows);
		}
		const key = (row: string[]) => JSON.stringify(row);
		expect(union.map(key).sort()).toEqual(all.slice(1).map(key).sort());
		// Six values sent, two on one day: the one validated last replaced the other.
		expect(all.length - 1).toBe(5);
	});

	it('gives each fiche of plan.json its fields in the order docs/open-data.md lists them', async () => {
		const spec = readFileSync('docs/open-data.md', 'utf8').replace(/\s+/g, ' ');
		let list = /each with, in this order, (.+?)\. Each of its `indicators` has:/.exec(spec)![1]!;
		// Without what the parentheses say of each field (`organisation`, `a_lancer`…).
		while (/\([^()]*\)/.test(list)) list = list.replace(/\([^()]*\)/g, '');
		const fields = list.match(/(?<=`)[a-z_]+(?=`)/g);
		expect(fields).toHaveLength(12);
		const plan = JSON.parse(text((await (await liveSet()).file('plan'))!));
		for (const fiche of plan.fiches) expect(Object.keys(fiche), fiche.code).toEqual(fields);
	});

	it('gives each indicator of plan.json the last row of its indicator in mesures.csv as latest', async () => {
		await seedHistory();
		const set = await liveSet();
		const plan = JSON.parse(text((await set.file('plan'))!));
		const [, ...rows] = strictCsv(text((await set.file('mesures'))!));
		for (const fiche of plan.fiches)
			for (const indicator of fiche.indicators) {
				const own = rows.filter((row) => row[1] === indicator.id);
				expect(indicator.measurement_count, indicator.id).toBe(own.length);
				const last = own.at(-1);
				expect(indicator.latest, indicator.id).toEqual(
					last ? { date: last[4], value: Number(last[5]) } : null
				);
			}
		const nineOne = plan.fiches.find((f: { code: string }) => f.code === '9-1').indicators[0];
		// Two values sent for the same day: the one validated last replaced the other.
		expect(nineOne).toMatchObject({
			id: '9-1-1',
			measurement_count: 4,
			latest: { date: '2021-01-10', value: 32 }
		});
	});

	it('writes an update’s statut only when it changes the status, empty when it states the one in force', async () => {
		await seedHistory();
		await update('9-1', '2021-03-01', 'validate', { status: 'realisee' });
		await update('9-1', '2021-04-01', 'validate', { status: 'realisee' });
		await update('9-1', '2021-05-01', 'validate', { status: 'en_cours' });
		const rows = strictCsv(text((await (await liveSet()).file('mises-a-jour'))!));
		const statusOn = new Map(rows.filter((r) => r[0] === '9-1').map((r) => [r[1], r[2]]));
		expect(Object.fromEntries(statusOn)).toMatchObject({
			'2020-05-01': '',
			'2021-01-15': '',
			'2021-02-15': '',
			'2021-03-01': 'realisee',
			'2021-04-01': '',
			'2021-05-01': 'en_cours'
		});
		// Before any status stated, a fiche is « à lancer »: its first update states a change.
		const first = rows.find((r) => r[0] === '9-1')!;
		expect(first[2]).toBe('en_cours');
	});

	it('dates a validation by its day in Paris: at 00:30 there, the next day in UTC’s evening', async () => {
		const created = await saveProgressUpdate(
			db,
			partner,
			'9-1',
			null,
			progressInput({ reportedOn: '2026-12-04', progress: 40, intent: 'submit' }),
			null
		);
		if (!created.ok) throw new Error(created.message);
		await reviewProgressUpdate(
			db,
			admin,
			{ updateId: created.value.id, version: 1, decision: 'validate', comment: '' },
			null,
			new Date('2026-12-04T23:30:00Z')
		);
		const updates = strictCsv(text((await (await liveSet()).file('mises-a-jour'))!));
		expect(updates.find((r) => r[0] === '9-1' && r[1] === '2026-12-04')?.at(-1)).toBe('2026-12-05');
	});

	it('writes free text that a spreadsheet would run as a formula with a leading apostrophe, and nothing else', async () => {
		expect(
			['=1+1', '+33', '-2', '@SUM', '\tx', '\rx', 'ok', '', '3-1'].map(protectFormula)
		).toEqual(["'=1+1", "'+33", "'-2", "'@SUM", "'\tx", "'\rx", 'ok', '', '3-1']);
		await seedHistory();
		const set = await liveSet();
		const updates = strictCsv(text((await set.file('mises-a-jour'))!));
		expect(updates.find((r) => r[1] === '2019-03-01')![4]).toBe(
			`'=HYPERLINK("http://exemple.test";"cliquez")`
		);
		const fiches = strictCsv(text((await set.file('fiches'))!));
		expect(fiches.find((r) => r[0] === '2-1')![4]).toBe(
			`'+33 fiche, « titre » avec "guillemets"\net retour`
		);
		// Numbers stay numbers, even negative ones.
		const measures = strictCsv(text((await set.file('mesures'))!));
		expect(measures.find((r) => r[4] === '2019-06-30')![5]).toBe('-3.5');
		const descriptor = JSON.parse(text((await set.file('datapackage'))!)) as Descriptor;
		const fields = descriptor.resources.find((r) => r.name === 'fiches')!.schema!.fields;
		expect(fields.find((f) => f.name === 'titre')!.description).toMatch(/apostrophe/);
		expect(fields.find((f) => f.name === 'code')!.description).not.toMatch(/apostrophe/);
		// The documented reading (one leading quote stripped) gives every title back, and two titles
		// never give the same cell.
		const titles = [
			"'Wifi' territorial : équipement des communes",
			"'=1+1 : mode d’emploi",
			'=1+1 : mode d’emploi'
		];
		for (const [code, title] of [
			['14-1', titles[0]],
			['13-1', titles[1]],
			['12-1', titles[2]]
		])
			await db.updateTable('fiche').set({ title }).where('code', '=', code!).execute();
		const read = strictCsv(text((await (await liveSet()).file('fiches'))!));
		expect(
			['14-1', '13-1', '12-1'].map((code) => read.find((r) => r[0] === code)![4]!.replace(/^'/, ''))
		).toEqual(titles);
		expect(TABLES.mesures.fields.map((f) => f.name)).toEqual([
			'fiche',
			'indicateur',
			'libelle',
			'unite',
			'date',
			'valeur'
		]);
	});

	it('lets nothing personal or unvalidated out, live or in an edition', async () => {
		await seedHistory();
		await seedSecrets();
		await publishYear(2021);
		const live = await (await liveSet()).all();
		const frozen = await Promise.all(
			live.map(async (f) => (await findPublishedFile(db, 2021, f.name))!)
		);
		const everything = [...live.map(text), ...frozen.map((f) => Buffer.from(f.body).toString())];
		for (const secret of SECRETS)
			for (const content of everything) expect(content).not.toContain(secret);
		for (const content of everything) expect(content).not.toMatch(/[\w.-]+@[\w-]+\.[a-z]{2,}/);
		// The validated update of 6-1 is there, without its reviewer's comment, and its measurement
		// without its own comment.
		const updates = strictCsv(text(live.find((f) => f.name === 'mises-a-jour')!));
		expect(updates.filter((r) => r[0] === '6-1').map((r) => r[1])).toEqual(['2021-06-01']);
		expect(updates[0]).not.toContain('commentaire');
		const measures = strictCsv(text(live.find((f) => f.name === 'mesures')!));
		expect(measures.filter((r) => r[0] === '6-1').map((r) => r.at(-2))).toEqual(['2021-06-01']);
		// Values, not only markers: the draft, pending and returned updates leave no date and no
		// row, live or frozen (1-1, 1-2 and 5-1 have no validated update).
		const unvalidated = ['1-1', '1-2', '5-1'];
		for (const [i, body] of everything.entries()) {
			const { path } = live[i % live.length]!;
			const where = `${i < live.length ? 'live' : 'frozen'} ${path}`;
			if (path.endsWith('plan.json')) {
				const { fiches } = JSON.parse(body) as {
					fiches: { code: string; last_update: string | null }[];
				};
				const dates = fiches.filter((f) => unvalidated.includes(f.code)).map((f) => f.last_update);
				expect(dates, where).toEqual([null, null, null]);
			}
			if (path.endsWith('.csv'))
				for (const row of strictCsv(body).filter((r) => unvalidated.includes(r[0]!)))
					for (const day of ['2021-03-01', '2021-04-01', '2021-05-01'])
						expect(row, where).not.toContain(day);
		}
	});

	it('freezes every file in a published edition, as of its date', async () => {
		await seedHistory();
		await publishYear(2020);
		const names = [
			'datapackage',
			'plan',
			'fiches',
			'mesures',
			'mesures-2018',
			'mesures-2019',
			'mesures-2020',
			'mises-a-jour',
			'decisions'
		];
		const files = await Promise.all(
			names.map(async (name) => {
				const stored = (await openDataFile(db, name, { year: 2020 }))!;
				expect(stored, name).toBeDefined();
				const body = new Uint8Array(stored.body);
				const path = name.endsWith('package') || name === 'plan' ? `${name}.json` : `${name}.csv`;
				return { name, path, body, count: strictCsvCount(path, body), lastChange: '' };
			})
		);
		expect(await openDataFile(db, 'mesures-2021', { year: 2020 })).toBeUndefined();
		checkPackage(files);
		const mesures = strictCsv(text(files.find((f) => f.name === 'mesures')!));
		expect(mesures.slice(1).every((row) => row[4]! <= '2020-12-31')).toBe(true);
		const plan = JSON.parse(text(files.find((f) => f.name === 'plan')!));
		expect(plan).toMatchObject({ as_of: '2020-12-31', edition: { year: 2020, version: 1 } });
		expect(plan.fiches.find((f: { code: string }) => f.code === '9-1').indicators[0]).toMatchObject(
			{ measurement_count: 3, latest: { date: '2020-04-30', value: 20 } }
		);
		// Live data moves on; the edition does not.
		const before = files.map((f) => text(f));
		await update('9-1', '2020-11-01', 'validate', { measurements: [['2020-10-31', 99]] });
		const after = await Promise.all(
			names.map(async (name) => text((await openDataFile(db, name, { year: 2020 }))!))
		);
		expect(after).toEqual(before);
		const live = strictCsv(text((await (await liveSet()).file('mesures-2020'))!));
		expect(live.some((row) => row[5] === '99')).toBe(true);
	});

	it('gives each live fiche of plan.json its former codes, oldest first; an edition keeps its codes', async () => {
		await seedHistory();
		await publishYear(2020);
		const frozen = text((await openDataFile(db, 'plan', { year: 2020 }))!);
		const moved = async (code: string, objective: number, at: string) => {
			const result = await moveFiche(db, admin, code, objective, new Date(at));
			if (!result.ok) throw new Error(result.message);
			return result.value.code;
		};
		// 6-1 moves twice (to objective 5, then 1), 12-1 once; 9-1 never.
		const once = await moved('6-1', 5, '2026-03-01T10:00:00Z');
		const twice = await moved(once, 1, '2026-04-01T10:00:00Z');
		const other = await moved('12-1', 4, '2026-05-01T10:00:00Z');
		// 11-1 moves away and back: it takes its code again, which is none of its former ones.
		const away = await moved('11-1', 4, '2026-06-01T10:00:00Z');
		expect(await moved(away, 11, '2026-06-02T10:00:00Z')).toBe('11-1');
		const live = JSON.parse(text((await (await liveSet()).file('plan'))!));
		expect(() => PlanDocumentSchema.parse(live)).not.toThrow();
		type Fiche = {
			code: string;
			former_codes?: string[];
			indicators: { id: string; label: string }[];
		};
		const fiche = (plan: { fiches: Fiche[] }, code: string) =>
			plan.fiches.find((f) => f.code === code)!;
		expect(fiche(live, twice).former_codes).toEqual(['6-1', once]);
		expect(fiche(live, other).former_codes).toEqual(['12-1']);
		expect(fiche(live, '11-1').former_codes).toEqual([away]);
		expect(fiche(live, '9-1').former_codes).toEqual([]);
		expect(live.fiches.some((f: Fiche) => ['6-1', once, '12-1'].includes(f.code))).toBe(false);
		// An indicator keeps its rank: its former id is a former code and the same rank.
		const edition = JSON.parse(frozen);
		const ids = (f: Fiche) => f.indicators.map((i) => `${i.id.split('-')[2]} ${i.label}`);
		expect(ids(fiche(live, twice))).toEqual(ids(fiche(edition, '6-1')));
		expect(fiche(live, twice).indicators[0]!.id).toBe(`${twice}-1`);
		// The edition keeps its bytes, its codes and its shape (no former_codes).
		expect(text((await openDataFile(db, 'plan', { year: 2020 }))!)).toBe(frozen);
		expect(() => EditionPlanDocumentSchema.parse(edition)).not.toThrow();
	});

	it('leaves out of an edition the measurements of an indicator added after its date, even dated back', async () => {
		// 2026-11: staff add a second indicator to 9-1 (the partner's fiche); the partner reports its
		// value as it stood in mid-2025 (the form accepts any day since 2018), validated; then the
		// 2025 edition (as of 2025-12-31) is published.
		const { input } = await editedFiche(db, '9-1', {
			ind_1_label: 'Part des processus partagés',
			ind_1_unit: '%',
			ind_1_kind: 'percentage',
			reason: 'Nouvel indicateur'
		});
		const added = await updateFiche(db, admin, '9-1', input!, null, new Date('2026-11-10T10:00Z'));
		expect(added.ok).toBe(true);
		await update('9-1', '2025-06-30', 'validate', {
			indicator: 2,
			measurements: [['2025-06-30', 42.5]]
		});
		await publishYear(2025);
		// plan.json lists no 9-1-2, so no file of the edition names it (checkPackage: foreign keys).
		const byPath = checkPackage(await editionFiles(2025));
		const plan = JSON.parse(text(byPath.get('plan.json')!)) as {
			fiches: { indicators: { id: string; measurement_count: number }[] }[];
		};
		const counted = plan.fiches.flatMap((f) => f.indicators.map((i) => i.measurement_count));
		expect(counted.reduce((a, b) => a + b, 0)).toBe(byPath.get('mesures.csv')!.count);
		// Nor do its figures, the chart and table of « Indicateurs » and its indicateurs.csv.
		const snapshot = (await findPublishedSnapshot(db, 2025))!;
		expect(snapshot.figures.indicators.filter((i) => i.fiche === '9-1')).toEqual([]);
		const values = snapshot.tables.find((t) => t.id === 'indicateurs')!;
		expect(tableToCsv(values)).not.toContain('42.5');
		// Live, where the indicator is in the plan, its measurement is.
		expect(text((await (await liveSet()).file('mesures'))!)).toContain(
			'9-1,9-1-2,Part des processus partagés,%,2025-06-30,42.5\n'
		);
	});

	it('dates a fiche’s last update by its owners’ reports, live and in an edition, not by a status the admins set', async () => {
		// 9-1: its owners report on 1 March 2025; an admin suspends it on 1 June 2025 (« Changer le
		// statut »), an update of Lot numérique that mises-a-jour.csv publishes without organisation.
		await update('9-1', '2025-03-01', 'validate');
		const input = { status: 'suspendue' as const, shownStatus: 'en_cours' as const };
		const reason = { reason: 'Décision de la commission', decisionId: null };
		const set = await setFicheStatus(
			db,
			admin,
			'9-1',
			{ ...input, ...reason },
			null,
			new Date('2025-06-01T10:00:00Z')
		);
		expect(set.ok).toBe(true);
		await publishYear(2025);
		const lastUpdate = (plan: string) =>
			(JSON.parse(plan) as { fiches: { code: string; last_update: string | null }[] }).fiches.find(
				(f) => f.code === '9-1'
			)!.last_update;
		expect(lastUpdate(text((await openDataFile(db, 'plan', { year: 2025 }))!))).toBe('2025-03-01');
		expect(lastUpdate(text((await (await liveSet()).file('plan'))!))).toBe('2025-03-01');
		expect(text((await (await liveSet()).file('mises-a-jour'))!)).toContain('9-1,2025-06-01');
	});

	it('gives the package of a version asked for by its number paths to that version’s files', async () => {
		await seedHistory();
		await publishYear(2020);
		await update('9-1', '2020-11-01', 'validate', { measurements: [['2020-10-31', 99]] });
		const correction = await saveEditionDraft(db, admin, {
			year: 2020,
			asOf: '2020-12-31',
			intro: 'Bilan 2020 corrigé',
			axisTexts: {},
			changeNote: 'La mesure d’octobre de 9-1 est comptée.'
		});
		if (!correction.ok) throw new Error('correction');
		await publishEdition(db, admin, correction.value.id);
		type Package = { resources: { name: string; path: string; bytes: number }[] };
		const frozen = async (version?: number) =>
			(await openDataFile(db, 'datapackage', { year: 2020, version }))!;
		// As frozen (and exported), relative paths: the files saved beside it.
		const latest = JSON.parse(text(await frozen())) as Package;
		expect(latest.resources.map((r) => r.path)).toContain('mesures.csv');
		expect((JSON.parse(text(await frozen(1))) as Package).resources.map((r) => r.path)).toContain(
			'mesures.csv'
		);
		// As its address asks for it by version: that version's files.
		const first = JSON.parse(
			Buffer.from(packageOfVersion((await frozen(1)).body, 1)).toString('utf8')
		) as Package;
		for (const resource of first.resources) {
			expect(resource.path).toMatch(/^[a-z0-9-]+\.(csv|json)\?version=1$/);
			const described = await openDataFile(db, resource.name, { year: 2020, version: 1 });
			expect(described!.body.byteLength, resource.name).toBe(resource.bytes);
		}
		const mesures = first.resources.find((r) => r.name === 'mesures')!;
		expect(mesures.bytes).not.toBe(latest.resources.find((r) => r.name === 'mesures')!.bytes);
	});

	it('dates a file by the plan’s last change to what it names, when later than its rows’ validations', async () => {
		const ids = [
			await update('9-1', '2019-03-01', 'validate', { measurements: [['2019-02-28', 12]] }),
			await update('1-1', '2020-03-01', 'validate', { measurements: [['2020-02-28', 5]] })
		];
		await db
			.updateTable('progress_update')
			.set({ validated_at: '2020-03-02T10:00:00.000Z' })
			.where('id', 'in', ids)
			.execute();
		const days = async () =>
			Object.fromEntries((await (await liveSet()).all()).map((f) => [f.name, f.lastChange]));
		expect(await days()).toMatchObject({
			'mesures-2019': '2020-03-02',
			'mesures-2020': '2020-03-02',
			'mises-a-jour': '2020-03-02'
		});

		// 9-1's indicator relabelled in the plan: mesures-2019.csv and mesures.csv change, not 2020's.
		const { input } = await editedFiche(db, '9-1', {
			ind_0_label: 'Nombre de communes équipées',
			reason: 'Intitulé précisé'
		});
		const relabelled = await updateFiche(
			db,
			admin,
			'9-1',
			input!,
			null,
			new Date('2026-11-10T10:00:00Z')
		);
		expect(relabelled.ok).toBe(true);
		// The partner's organisation renamed: mises-a-jour.csv's organisation column changes.
		const cdg46 = await db
			.selectFrom('organisation')
			.select(['id', 'version', 'full_name', 'kind'])
			.where('slug', '=', 'cdg46')
			.executeTakeFirstOrThrow();
		const renamed = await editOrganisation(
			db,
			admin,
			cdg46.id,
			{
				version: cdg46.version,
				name: 'Centre de gestion du Lot',
				fullName: cdg46.full_name,
				kind: cdg46.kind,
				reason: 'Nom complet',
				decisionId: null
			},
			null,
			new Date('2026-11-20T10:00:00Z')
		);
		expect(renamed.ok).toBe(true);
		expect(await days()).toMatchObject({
			mesures: '2026-11-10',
			'mesures-2019': '2026-11-10',
			'mesures-2020': '2020-03-02',
			'mises-a-jour': '2026-11-20'
		});
	});

	it('builds the live files from one state: a validation committed meanwhile is in all of them or in none', async () => {
		const indicator = await indicatorOf('9-1');
		// What a validation commits at once: the update and a measurement of a year not yet published.
		const validate = () =>
			db.transaction().execute(async (trx) => {
				const { id } = await trx
					.insertInto('progress_update')
					.values({
						fiche_id: (await trx
							.selectFrom('fiche')
							.select('id')
							.where('code', '=', '9-1')
							.executeTakeFirstOrThrow())!.id,
						organisation_id: partner.organisationId!,
						reported_on: '2025-06-01',
						status: 'en_cours',
						progress: 50,
						done: 'Bornes posées',
						next_steps: '',
						difficulties: '',
						state: 'validated',
						validated_at: '2025-06-02T10:00:00.000Z',
						version: 1
					} as never)
					.returning('id')
					.executeTakeFirstOrThrow();
				await trx
					.insertInto('measurement')
					.values({
						indicator_id: indicator,
						progress_update_id: id,
						measured_on: '2025-06-01',
						value: 12
					} as never)
					.execute();
			});
		for (let ticks = 0; ticks < 200; ticks += 4) {
			await db.deleteFrom('measurement').where('measured_on', '=', '2025-06-01').execute();
			await db.deleteFrom('progress_update').where('reported_on', '=', '2025-06-01').execute();
			const building = readLiveOpenData(db, async (set) => {
				const [mesures, updates, plan] = await Promise.all(
					['mesures', 'mises-a-jour', 'plan'].map(async (name) => text((await set.file(name))!))
				);
				return { mesures: mesures!, updates: updates!, plan: plan! };
			});
			for (let i = 0; i < ticks; i++) await Promise.resolve();
			await validate();
			const files = await building;
			const seen = [
				files.mesures.includes('2025-06-01'),
				files.updates.includes('Bornes posées'),
				files.plan.includes('"date":"2025-06-01"')
			];
			expect(seen).toEqual(seen[0] ? [true, true, true] : [false, false, false]);
		}
	});

	it('gives the same bytes twice for the same database', async () => {
		await seedHistory();
		const first = (await (await liveSet()).all()).map(text);
		const second = (await (await liveSet()).all()).map(text);
		expect(second).toEqual(first);
	});
});

function strictCsvCount(path: string, body: Uint8Array): number {
	if (!path.endsWith('.csv')) return 0;
	return strictCsv(Buffer.from(body).toString('utf8')).length - 1;
}
