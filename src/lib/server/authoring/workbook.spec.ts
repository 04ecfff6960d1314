import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { PLAN_DATA } from '../seed/plan-data';
import { loadLatestValues, loadPlanModel } from './import-repository';
import { applyPlanImport, previewPlanImport } from './plan-import';
import type { PlanModel } from './plan-model';
import { cellToRichText, richTextToCell } from '../../utils/rich-text';
import {
	describeProblem,
	readPlanWorkbook,
	richTextCell,
	SHEETS,
	writePlanWorkbook
} from './workbook';
import { MAX_UNZIPPED_BYTES, unzippedSize } from './zip-guard';
import { zip } from './zip-testing';

let db: Db;
let model: PlanModel;
let exported: Uint8Array;

beforeAll(async () => {
	db = await createTestDb();
	model = await loadPlanModel(db);
	exported = await writePlanWorkbook(model, await loadLatestValues(db));
});
afterAll(async () => {
	await db.destroy();
});

async function open(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
	return workbook;
}

async function edited(change: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
	const workbook = await open(exported);
	change(workbook);
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}

async function problems(bytes: Uint8Array): Promise<string[]> {
	const reading = await readPlanWorkbook(bytes);
	return reading.ok ? [] : reading.problems.map(describeProblem);
}

function rowOf(sheet: ExcelJS.Worksheet, first: string | number): number {
	for (let r = 2; r <= sheet.rowCount; r++)
		if (sheet.getRow(r).getCell(1).value === first) return r;
	throw new Error(`no row ${first}`);
}

describe('the fiches’ text sections in a cell', () => {
	it('read back exactly as they were, for every section of every fiche of the Lot plan', () => {
		for (const fiche of PLAN_DATA.fiches)
			for (const text of [fiche.context, fiche.existing, fiche.description, fiche.success_factors])
				expect(cellToRichText(richTextToCell(text))).toEqual(text);
	});

	it('reads lists typed by a person: bullets, numbers, nesting by two spaces', () => {
		expect(cellToRichText('Intro\n- un\n  1. a\n  2. b\n- deux\r\n\nFin')).toEqual([
			'Intro',
			{ ul: [{ text: 'un', ol: ['a', 'b'] }, 'deux'] },
			'Fin'
		]);
	});
});

describe('the plan workbook as written', () => {
	it('has every sheet, French headers on a frozen first row, widths, real dates and numbers', async () => {
		const workbook = await open(exported);
		expect(workbook.worksheets.map((w) => w.name)).toEqual(
			Object.values(SHEETS).map((s) => s.name)
		);
		for (const sheet of workbook.worksheets) {
			expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
			expect(sheet.getRow(1).font?.bold).toBe(true);
			expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(5);
		}
		const plan = workbook.getWorksheet('Plan')!;
		expect(plan.getRow(2).getCell(5).value).toEqual(new Date('2018-07-19T00:00:00Z'));
		expect(plan.getColumn(5).numFmt).toBe('dd/mm/yyyy');
		// Codes typed in stay text (« 4-2 » is not turned into a date by the spreadsheet).
		for (const [sheetName, column] of [
			['Fiches', 1],
			['Liens', 2],
			['Axes', 1],
			['Indicateurs', 1]
		] as const) {
			const sheet = workbook.getWorksheet(sheetName)!;
			expect(sheet.getColumn(column).numFmt).toBe('@');
			expect(sheet.getRow(2).getCell(column).numFmt).toBe('@');
		}
		// The sections too: a line « - premier point » typed in stays text, not a formula.
		expect(workbook.getWorksheet('Fiches')!.getColumn(6).numFmt).toBe('@');
		const fiches = workbook.getWorksheet('Fiches')!;
		expect((fiches.getRow(1).values as unknown[]).slice(1)).toEqual(
			SHEETS.fiches.columns.map((c) => c.header)
		);
		expect(fiches.rowCount).toBe(1 + 23);
		const row = fiches.getRow(rowOf(fiches, '1-1'));
		expect(row.getCell(2).value).toBe(1);
		expect(row.getCell(3).value).toBe('Accompagnement des élus aux enjeux du numérique');
		expect(String(row.getCell(8).value)).toContain(
			'1. Définition du plan\n  - définition d’un socle'
		);
		const people = workbook.getWorksheet('Porteurs et partenaires')!;
		expect((people.getRow(rowOf(people, '1-1')).values as unknown[]).slice(1, 4)).toEqual([
			'1-1',
			'Porteur',
			'Syndicat mixte Lot numérique'
		]);
		const indicators = workbook.getWorksheet('Indicateurs')!;
		const measured = indicators
			.getRows(2, indicators.rowCount - 1)!
			.find((r) => typeof r.getCell(10).value === 'number');
		expect(measured?.getCell(11).value).toBeInstanceOf(Date);
	});

	it('reads back as the plan it was written from', async () => {
		const reading = await readPlanWorkbook(exported);
		expect(reading.ok && reading.model).toEqual(model);
	});
});

describe('a workbook that does not validate: one French sentence per problem, nothing written', () => {
	it('says a refused title once, not also « obligatoire »', async () => {
		const found = await problems(
			await edited((w) => {
				const sheet = w.getWorksheet('Fiches')!;
				sheet.getRow(rowOf(sheet, '9-1')).getCell(3).value = 'Un titre\nsur deux lignes';
			})
		);
		expect(found.filter((p) => p.includes('colonne « Titre »'))).toEqual([
			expect.stringContaining('le titre tient sur une ligne')
		]);
	});

	it('refuses a target typed « 1.250 » as text, saying both readings', async () => {
		const found = await problems(
			await edited((w) => {
				const sheet = w.getWorksheet('Indicateurs')!;
				sheet.getRow(2).getCell(6).value = '1.250';
			})
		);
		expect(found.filter((p) => p.includes('1.250'))).toEqual([
			expect.stringContaining(
				'« 1.250 » se lit de deux façons : écrivez 1250 ou 1\u00a0250, sans point ni virgule, pour un nombre entier ; ou 1,25 pour des décimales'
			)
		]);
	});

	// Merge s46: « 1,000 » typed reads two ways, but a number cell's 12.125, written « 12,125 » to
	// be read, has one reading only: it was refused as ambiguous.
	it('reads a number cell of 12.125 or 1250.5 as it is, and refuses « 1,000 » typed as text', async () => {
		const reading = await readPlanWorkbook(
			await edited((w) => {
				const sheet = w.getWorksheet('Indicateurs')!;
				sheet.getRow(2).getCell(6).value = 12.125;
				sheet.getRow(2).getCell(7).value = new Date(Date.UTC(2030, 11, 31));
				sheet.getRow(3).getCell(6).value = 1250.5;
				sheet.getRow(3).getCell(7).value = new Date(Date.UTC(2030, 11, 31));
			})
		);
		if (!reading.ok) throw new Error(reading.problems.join('\n'));
		expect(reading.model.indicators.slice(0, 2).map((i) => i.target)).toEqual([12.125, 1250.5]);
		const typed = await problems(
			await edited((w) => {
				w.getWorksheet('Indicateurs')!.getRow(2).getCell(6).value = '1,000';
			})
		);
		expect(typed.filter((p) => p.includes('1,000'))).toEqual([
			expect.stringContaining('« 1,000 » se lit de deux façons')
		]);
	});

	it('drops the marks that would show a number’s groups reversed (« 000 500 1 € »)', async () => {
		const reading = await readPlanWorkbook(
			await edited((w) => {
				const sheet = w.getWorksheet('Fiches')!;
				sheet.getRow(rowOf(sheet, '9-1')).getCell(3).value = 'Budget de \u200f1 500 000 €\u061c';
			})
		);
		if (!reading.ok) throw new Error(reading.problems.join('\n'));
		expect(reading.model.fiches.find((f) => f.code === '9-1')?.title).toBe('Budget de 1 500 000 €');
		// A number or a date typed as text with a mark is read as the number or the date.
		const numbers = await readPlanWorkbook(
			await edited((w) => {
				const sheet = w.getWorksheet('Indicateurs')!;
				const row = sheet.getRow(2);
				const header = sheet.getRow(1);
				header.eachCell((cell, column) => {
					if (cell.value === 'Cible') row.getCell(column).value = '\u200f1500';
					if (cell.value === 'Date de la cible') row.getCell(column).value = '\u200f31/12/2026';
				});
			})
		);
		if (!numbers.ok) throw new Error(numbers.problems.join('\n'));
		expect(numbers.model.indicators[0]).toMatchObject({ target: 1500, targetDate: '2026-12-31' });
	});

	it('quotes a refused code without turning the message around', async () => {
		const found = await problems(
			await edited((w) => {
				w.getWorksheet('Axes')!.addRow(['villes\u202econnectees', 'villes', 'Villes connectées']);
			})
		);
		const message = found.find((p) => p.includes('villes'))!;
		expect(message).toContain('« villes\ufffdconnectees » n’est pas un code d’axe');
		expect(message).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
	});

	// Walkthrough of December 2026: told only that the code did not match, a newcomer changed the
	// code too, which abandons the fiche and adds another.
	it('says that a fiche moves to another objective from its form, not by its code', async () => {
		const first = model.fiches[0]!;
		const other = model.objectives.find((o) => o.number !== first.objective)!.number;
		const found = await problems(
			await edited((w) => {
				const sheet = w.getWorksheet('Fiches')!;
				sheet.getRow(rowOf(sheet, first.code)).getCell(2).value = other;
			})
		);
		const message = found.find((p) => p.includes(`le code ${first.code}`))!;
		expect(message).toContain(`le code ${first.code} ne correspond pas à l’objectif ${other}`);
		expect(message).toContain(
			`une fiche change d’objectif depuis sa page de modification (Administration › Le plan › fiche ${first.code}, champ « Objectif »)`
		);
		expect(message).toContain(`changer ici aussi son code abandonnerait la fiche ${first.code}`);
	});

	// Hostile probe s47: a link whose text is partly formatted was read « [object Object] ».
	it('reads a link whose text is partly formatted as the text it shows', async () => {
		const link = {
			text: { richText: [{ text: 'Élus et ' }, { font: { bold: true }, text: 'numérique' }] },
			hyperlink: 'https://example.org/'
		} as unknown as ExcelJS.CellHyperlinkValue;
		const titled = await readPlanWorkbook(
			await edited((w) => {
				w.getWorksheet('Fiches')!.getCell('D2').value = link;
			})
		);
		const code = String((await open(exported)).getWorksheet('Fiches')!.getCell('A2').value);
		expect(titled.ok && titled.model.fiches.find((f) => f.code === code)).toMatchObject({
			shortTitle: 'Élus et numérique'
		});
		const found = await problems(
			await edited((w) => {
				w.getWorksheet('Axes')!.addRow([link, 'villes', 'Villes connectées']);
			})
		);
		expect(found).toContainEqual(expect.stringContaining('« Élus et numérique »'));
		expect(found.join('\n')).not.toContain('[object Object]');
	});

	it('takes a title that shows nothing (characters without width) for an empty one', async () => {
		const found = await problems(
			await edited((w) => {
				const sheet = w.getWorksheet('Fiches')!;
				sheet.getRow(rowOf(sheet, '9-1')).getCell(3).value = '\u200b\u200b \u2060';
			})
		);
		expect(found.filter((p) => p.includes('colonne « Titre »'))).toEqual([
			expect.stringContaining('le titre de la fiche est obligatoire')
		]);
	});

	it('says once that the spreadsheet turned a fiche’s code into a date, without follow-on problems', async () => {
		// A date written in a text-formatted cell reads back as the spreadsheet's day number.
		const found = await problems(
			await edited((w) => {
				// What a spreadsheet makes of « 9-1 » typed in a cell not formatted as text.
				const fiches = w.getWorksheet('Fiches')!;
				fiches.getRow(rowOf(fiches, '9-1')).getCell(1).value = new Date('2026-01-09T00:00:00Z');
				const people = w.getWorksheet('Porteurs et partenaires')!;
				people.getRow(rowOf(people, '9-1')).getCell(1).value = 46031;
				// A link to a fiche that exists nowhere is still said; one to 9-1 is not.
				const links = w.getWorksheet('Liens')!;
				links.addRow(['1-1', '99-9']);
				links.addRow(['1-1', '9-1']);
			})
		);
		expect(found).toEqual([
			expect.stringMatching(
				/^Feuille « Fiches », ligne \d+, colonne « Code » : le tableur a pris ce code pour une date ou un nombre \(« 46031, soit le 9\u00a0janvier\u00a02026 »\) : mettez la colonne au format Texte, puis retapez le code \(par exemple 4-2\)$/
			),
			expect.stringMatching(
				/^Feuille « Porteurs et partenaires », ligne \d+, colonne « Fiche » : le tableur a pris ce code pour une date ou un nombre \(« 46031, soit le 9\u00a0janvier\u00a02026 »\)/
			),
			expect.stringMatching(
				/^Feuille « Liens », ligne \d+, colonne « Fiche liée » : la fiche « 99-9 » n’existe pas/
			)
		]);
	});

	// Review of plan authoring, finding 6: « 4-l » typed for « 4-1 » gave twelve problems, eleven
	// of them « la fiche « 4-1 » n’existe pas » on the rows naming the fiche that row should be.
	it('says once that a fiche’s code is not one, without « n’existe pas » on the rows that may name it', async () => {
		const found = await problems(
			await edited((w) => {
				const fiches = w.getWorksheet('Fiches')!;
				fiches.getRow(rowOf(fiches, '4-1')).getCell(1).value = '4-l';
				// A fiche of another objective that exists nowhere is still said.
				w.getWorksheet('Liens')!.addRow(['1-1', '99-9']);
			})
		);
		expect(found).toEqual([
			expect.stringMatching(
				/^Feuille « Fiches », ligne \d+, colonne « Code » : « 4-l » n’est pas un code de fiche \(numéro de l’objectif, tiret, numéro\s: 4-2\)$/
			),
			expect.stringMatching(
				/^Feuille « Liens », ligne \d+, colonne « Fiche liée » : la fiche « 99-9 » n’existe pas dans la feuille « Fiches »$/
			)
		]);
	});

	// Walkthrough s49: « la même ligne « 5-1, partenaire etalab » est déjà à la ligne 35 » named the
	// organisation by its identifier, and said « la même ligne » when only the organisation repeated.
	it('names an organisation repeated on a fiche as typed, and what repeats, in the fiche form’s words', async () => {
		let partnerRow = 0;
		let ownerRow = 0;
		let partner = '';
		let owner = { name: '', scope: '' };
		const found = await problems(
			await edited((w) => {
				const people = w.getWorksheet('Porteurs et partenaires')!;
				people.eachRow((row, number) => {
					const [fiche, role, name, detail] = (row.values as string[]).slice(1);
					if (fiche === '5-1' && role === 'Partenaire' && !partnerRow) {
						partnerRow = number;
						partner = name!;
					}
					if (fiche === '7-3' && role === 'Porteur' && !ownerRow) {
						ownerRow = number;
						owner = { name: name!, scope: detail ?? '' };
					}
				});
				people.addRow(['5-1', 'Partenaire', partner.toUpperCase(), 'Une autre précision']);
				people.addRow(['7-3', 'Porteur', owner.name, owner.scope, 'Une autre note']);
			})
		);
		const scope = owner.scope ? `avec le périmètre « ${owner.scope} »` : 'sans périmètre';
		expect(found).toEqual([
			expect.stringMatching(
				new RegExp(
					`colonne « Organisation » : « ${partner.toUpperCase()} » est déjà partenaire de la fiche 5-1 \\(ligne ${partnerRow}\\) : une organisation n’est partenaire d’une fiche qu’une fois$`
				)
			),
			expect.stringMatching(
				new RegExp(
					`colonne « Organisation » : « ${owner.name} » porte déjà la fiche 7-3 ${scope} \\(ligne ${ownerRow}\\) : une organisation porte une fiche une fois par périmètre$`
				)
			)
		]);
	});

	const cases: [string, () => Promise<Uint8Array>, RegExp][] = [
		[
			'not a workbook',
			async () => new TextEncoder().encode('code;titre\n1-1;Titre'),
			/^le fichier n’est pas un classeur Excel \(\.xlsx\) lisible/
		],
		[
			'a zip that is not a workbook',
			async () => new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0]),
			/^le fichier n’est pas un classeur Excel/
		],
		[
			'missing sheet',
			() => edited((w) => w.removeWorksheet(w.getWorksheet('Liens')!.id)),
			/^Feuille « Liens » : la feuille « Liens » manque au classeur/
		],
		[
			'a sheet the import does not read (a copy of « Fiches » to add fiches)',
			() =>
				edited((w) => {
					const copy = w.addWorksheet('Fiches (2)');
					copy.addRow(['Code', 'Objectif', 'Titre']);
					copy.addRow(['4-2', '4', 'Budget participatif']);
				}),
			/^Feuille « Fiches \(2\) » : cette feuille n’est pas une feuille du plan : l’import ne la lirait pas\. Retirez-la du classeur, ou copiez ses lignes dans la feuille attendue \(les feuilles attendues : Plan, Axes/
		],
		[
			'renamed header',
			() => edited((w) => (w.getWorksheet('Fiches')!.getCell('C1').value = 'Intitulé')),
			/^Feuille « Fiches », ligne 1, colonne « Titre » : l’en-tête de la colonne C doit être « Titre » et non « Intitulé »/
		],
		[
			'unknown organisation',
			() =>
				edited((w) =>
					w
						.getWorksheet('Porteurs et partenaires')!
						.addRow(['1-1', 'Partenaire', 'Mairie de Nulle-Part'])
				),
			/^Feuille « Porteurs et partenaires », ligne \d+, colonne « Organisation » : l’organisation « Mairie de Nulle-Part » n’existe pas/
		],
		[
			'duplicate code',
			() =>
				edited((w) => {
					const sheet = w.getWorksheet('Fiches')!;
					sheet.addRow((sheet.getRow(rowOf(sheet, '2-1')).values as unknown[]).slice(1));
				}),
			/^Feuille « Fiches », ligne 25, colonne « Code » : la fiche « 2-1 » est déjà à la ligne \d+/
		],
		[
			'objective that does not exist',
			() =>
				edited((w) => {
					const sheet = w.getWorksheet('Fiches')!;
					const row = sheet.getRow(rowOf(sheet, '2-1'));
					row.getCell(1).value = '42-1';
					row.getCell(2).value = 42;
				}),
			/colonne « Objectif » : l’objectif 42 n’existe pas dans la feuille « Objectifs »/
		],
		[
			'a title on two lines',
			() =>
				edited((w) => {
					const sheet = w.getWorksheet('Fiches')!;
					sheet.getRow(rowOf(sheet, '2-1')).getCell(3).value = 'Un titre\n=sur deux lignes';
				}),
			/^Feuille « Fiches », ligne \d+, colonne « Titre » : le titre tient sur une ligne/
		],
		[
			'a control character',
			() =>
				edited((w) => {
					const sheet = w.getWorksheet('Fiches')!;
					sheet.getRow(rowOf(sheet, '2-1')).getCell(6).value = 'Contexte\u0085';
				}),
			/^Feuille « Fiches », ligne \d+, colonne « Contexte » : le texte « Enjeux et contexte » contient un caractère non autorisé : U\+0085 \(passage à la ligne\), 9e caractère/
		],
		[
			'a character reversing the text after it',
			() =>
				edited((w) => {
					const sheet = w.getWorksheet('Fiches')!;
					sheet.getRow(rowOf(sheet, '2-1')).getCell(3).value = 'Titre \u202Eesrevne';
				}),
			/^Feuille « Fiches », ligne \d+, colonne « Titre » : le titre contient un caractère non autorisé : U\+202E \(inversion de sens\), 7e caractère/
		],
		[
			'an organisation’s name holding the open data’s separator « | »',
			() =>
				edited((w) => {
					const sheet = w.getWorksheet('Organisations')!;
					sheet.getRow(2).getCell(2).value = 'Ad’Occ | Agence régionale';
				}),
			/^Feuille « Organisations », ligne 2, colonne « Nom » : le nom ne peut pas contenir la barre verticale « \| » : elle sépare les valeurs d’une cellule dans les données ouvertes/
		],
		[
			'an owner’s précision holding the open data’s separator « | »',
			() =>
				edited((w) => {
					const sheet = w.getWorksheet('Porteurs et partenaires')!;
					sheet.getRow(2).getCell(4).value = 'Prestation | hébergement';
				}),
			/^Feuille « Porteurs et partenaires », ligne 2, colonne « Précision » : ne peut pas contenir la barre verticale « \| »/
		],
		[
			'link to an unknown fiche',
			() => edited((w) => w.getWorksheet('Liens')!.addRow(['1-1', '9-9'])),
			/^Feuille « Liens », ligne \d+, colonne « Fiche liée » : la fiche « 9-9 » n’existe pas/
		],
		[
			'bad number',
			() =>
				edited((w) => {
					const sheet = w.getWorksheet('Indicateurs')!;
					sheet.getRow(2).getCell(6).value = 'beaucoup';
				}),
			/^Feuille « Indicateurs », ligne 2, colonne « Cible » : « beaucoup » refusé : la valeur doit être un nombre \(exemple : 12 ou 12,5\)$/
		],
		[
			'a date out of the calendar',
			() =>
				edited((w) => {
					const sheet = w.getWorksheet('Indicateurs')!;
					sheet.getRow(2).getCell(6).value = 10;
					sheet.getRow(2).getCell(7).value = new Date(Number.NaN);
				}),
			/^Feuille « Indicateurs », ligne 2, colonne « Date de la cible » : cette valeur n’est pas une date/
		],
		[
			'a rich text of many runs longer than the form allows',
			() =>
				edited((w) => {
					const runs = Array.from({ length: 5_000 }, () => ({ text: 'x'.repeat(10) }));
					w.getWorksheet('Fiches')!.getRow(2).getCell(7).value = { richText: runs };
				}),
			/^Feuille « Fiches », ligne 2, colonne « Existant » : plus de 10\u202f000 caractères : 10\u202f000 au plus/
		],
		[
			'a text longer than the form allows',
			() =>
				edited((w) => {
					w.getWorksheet('Fiches')!.getRow(2).getCell(7).value = 'x'.repeat(200_000);
				}),
			// Over twice the limit, not counted (see overlongProblem, workbook.ts).
			/^Feuille « Fiches », ligne 2, colonne « Existant » : plus de 10\u202f000 caractères : 10\u202f000 au plus/
		],
		[
			'bad date',
			() =>
				edited((w) => {
					const sheet = w.getWorksheet('Indicateurs')!;
					sheet.getRow(2).getCell(6).value = 10;
					sheet.getRow(2).getCell(7).value = '31/02/2024';
				}),
			/^Feuille « Indicateurs », ligne 2, colonne « Date de la cible » : « 31\/02\/2024 » n’est pas une date/
		],
		[
			'a target dated 1900',
			() =>
				edited((w) => {
					const sheet = w.getWorksheet('Indicateurs')!;
					sheet.getRow(2).getCell(6).value = 10;
					sheet.getRow(2).getCell(7).value = '01/01/1900';
				}),
			/^Feuille « Indicateurs », ligne 2, colonne « Date de la cible » : cette date doit tomber entre le 1er\u00a0janvier\u00a02000 et le 31\u00a0décembre\u00a02100$/
		],
		[
			'a baseline dated after its target',
			() =>
				edited((w) => {
					const sheet = w.getWorksheet('Indicateurs')!;
					sheet.getRow(2).getCell(6).value = 10;
					sheet.getRow(2).getCell(7).value = '31/12/2027';
					sheet.getRow(2).getCell(8).value = 2;
					sheet.getRow(2).getCell(9).value = '01/01/2031';
				}),
			/colonne « Date de la valeur de départ » : la valeur de départ doit être datée avant la cible$/
		],
		[
			'a percentage above 100',
			() =>
				edited((w) => {
					const sheet = w.getWorksheet('Indicateurs')!;
					sheet.getRow(2).getCell(5).value = 'Pourcentage';
					sheet.getRow(2).getCell(6).value = 120;
				}),
			/^Feuille « Indicateurs », ligne 2, colonne « Cible » : 120 refusé : cet indicateur est un pourcentage : sa valeur reste entre 0 et 100$/
		],
		[
			'a negative count',
			() =>
				edited((w) => {
					const sheet = w.getWorksheet('Indicateurs')!;
					sheet.getRow(2).getCell(5).value = 'Nombre';
					sheet.getRow(2).getCell(8).value = -3;
				}),
			/colonne « Valeur de départ » : -3 refusé : cet indicateur compte quelque chose : sa valeur ne peut pas être négative$/
		],
		[
			'a formula without a computed result',
			() =>
				edited((w) => {
					w.getWorksheet('Indicateurs')!.getRow(2).getCell(6).value = {
						formula: 'A1*2'
					} as ExcelJS.CellFormulaValue;
				}),
			/^Feuille « Indicateurs », ligne 2, colonne « Cible » : cette cellule contient une formule sans résultat enregistré/
		],
		[
			'merged cells',
			() => edited((w) => w.getWorksheet('Fiches')!.mergeCells('C3:D3')),
			/^Feuille « Fiches », ligne 3, colonne « Titre court » : cellules fusionnées/
		],
		[
			'10,000 rows',
			() =>
				edited((w) => {
					const sheet = w.getWorksheet('Liens')!;
					for (let i = 0; i < 10_000; i++) sheet.addRow(['1-1', '2-1']);
				}),
			/^Feuille « Liens » : la feuille a \d+ lignes : au plus 2000 sont acceptées/
		]
	];

	it.each(cases)(
		'%s',
		async (_name, make, expected) => {
			const bytes = await make();
			const found = await problems(bytes);
			expect(
				found.some((p) => expected.test(p)),
				found.slice(0, 5).join('\n')
			).toBe(true);
			const before = await db
				.selectFrom('plan_revision')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow();
			const applied = await applyPlanImport(db, bytes, {
				reason: 'Essai',
				actor: null,
				abandonConfirmed: true
			});
			expect(applied.ok).toBe(false);
			if (!applied.ok) expect(applied.message).toMatch(/^Le classeur n’a pas été importé/);
			expect(await loadPlanModel(db)).toEqual(model);
			expect(
				await db
					.selectFrom('plan_revision')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.executeTakeFirstOrThrow()
			).toEqual(before);
		},
		60_000
	);

	it('ignores a sheet added and left empty, and still names one with something in it', async () => {
		// Review s57: a blank « Feuil1 » beside the plan's sheets refused the whole workbook.
		const blank = await edited((w) => {
			w.addWorksheet('Feuil1');
			const spaced = w.addWorksheet('Notes');
			spaced.getCell('A1').value = '   ';
			spaced.getCell('B2').font = { bold: true };
		});
		expect(await problems(blank)).toEqual([]);
		expect(await previewPlanImport(db, blank)).toMatchObject({ problems: [], changes: [] });
		// A formula with no result saved is something: still said, as a sheet with a value.
		const formula = await edited((w) => {
			w.addWorksheet('Feuil1').getCell('A1').value = { formula: 'SUM(B1:B3)' } as ExcelJS.CellValue;
		});
		expect(await problems(formula)).toEqual([
			expect.stringMatching(
				/^Feuille « Feuil1 » : cette feuille n’est pas une feuille du plan : l’import ne la lirait pas/
			)
		]);
	});

	/**
	 * The « cible » of a new indicator's line (« Nouvel indicateur » : « … ; cible : 10 au … »), in
	 * the words of its fiche's form.
	 */
	const newTarget = (change: { changes: { after: string }[] } | undefined) =>
		/(?:^|; )cible : ([^;]*)/.exec(change?.changes[0]?.after ?? '')?.[1];

	it('a formula whose result was saved is read as that result', async () => {
		const bytes = await edited((w) => {
			w.getWorksheet('Indicateurs')!.getRow(2).getCell(6).value = {
				formula: '2*21',
				result: 42
			} as ExcelJS.CellFormulaValue;
		});
		const preview = await previewPlanImport(db, bytes);
		expect(preview.problems).toEqual([]);
		expect(preview.changes.flatMap((c) => c.changes)).toEqual([
			expect.objectContaining({ field: expect.stringMatching(/\.target$/), after: '42' })
		]);
	});

	it('shows a changed target the French way, every decimal kept, with its date in words, as the fiche form does', async () => {
		const bytes = await edited((w) => {
			const row = w.getWorksheet('Indicateurs')!.getRow(2);
			// An amount, whose target may have decimals.
			row.getCell(5).value = 'Montant en euros';
			row.getCell(6).value = 1200.125;
			row.getCell(7).value = new Date('2026-12-31T00:00:00Z');
		});
		const preview = await previewPlanImport(db, bytes);
		expect(preview.changes.flatMap((c) => c.changes)).toEqual([
			expect.objectContaining({
				label: expect.stringMatching(/ : nature$/),
				after: 'montant en euros'
			}),
			expect.objectContaining({
				label: expect.stringMatching(/ : cible$/),
				after: '1\u202f200,125\u00a0€ au 31\u00a0décembre\u00a02026'
			})
		]);
	});

	it('says a column filled beside the sheet’s columns, rather than drop it without a word', async () => {
		const found = await problems(
			await edited((w) => {
				const sheet = w.getWorksheet('Fiches')!;
				const last = sheet.getRow(1).cellCount;
				sheet.getRow(1).getCell(last + 1).value = 'Commentaire';
				sheet.getRow(2).getCell(last + 1).value = 'À revoir avec le Département avant le comité';
				sheet.getRow(4).getCell(last + 1).value = 'Idem';
				// A header alone loses nothing: not said.
				sheet.getRow(1).getCell(last + 2).value = 'Notes';
			})
		);
		expect(found).toEqual([
			expect.stringMatching(
				/^Feuille « Fiches », colonne « Commentaire » : la colonne [A-Z]+ \(remplie en 2 lignes, la première en ligne 2\) n’est pas une colonne de la feuille : l’import ne la lirait pas/
			)
		]);
	});

	it('takes the day a date cell shows, whatever its hour (a pasted timestamp, =MAINTENANT())', async () => {
		const bytes = await edited((w) => {
			const sheet = w.getWorksheet('Indicateurs')!;
			const formula = sheet.addRow(['14-1', 7, 'Nombre de bornes', null, 'Nombre', 10]);
			formula.getCell(7).value = {
				formula: 'DATE(2027,12,31)',
				result: new Date(Date.UTC(2027, 11, 31))
			} as ExcelJS.CellFormulaValue;
			for (const [position, hour] of [
				[8, 18],
				[9, 23]
			] as const) {
				const row = sheet.addRow([
					'14-1',
					position,
					`Nombre de salles ${hour} h`,
					null,
					'Nombre',
					10
				]);
				row.getCell(7).value = new Date(Date.UTC(2027, 11, 31, hour, 59));
				row.getCell(7).numFmt = 'dd/mm/yyyy hh:mm';
			}
		});
		const preview = await previewPlanImport(db, bytes);
		expect(preview.problems).toEqual([]);
		expect(preview.changes.filter((c) => c.entity === 'indicator').map(newTarget)).toEqual(
			Array(3).fill('10 au 31\u00a0décembre\u00a02027')
		);
	});

	// Probe s46: 31/12/2028 23:59:59 was read as 1 January 2029 (a second short of midnight was
	// taken for float noise).
	it('takes 23:59:59 for its own day, and a day number short of midnight by float noise for the next', async () => {
		const bytes = await edited((w) => {
			const sheet = w.getWorksheet('Indicateurs')!;
			const late = sheet.addRow(['14-1', 8, 'Nombre de bornes', null, 'Nombre', 10]).getCell(7);
			late.value = new Date(Date.UTC(2028, 11, 31, 23, 59, 59));
			late.numFmt = 'dd/mm/yyyy hh:mm:ss';
			// Midnight on 1 January 2026 (day 46023), as a formula's arithmetic may leave it.
			const noisy = sheet.addRow(['14-1', 9, 'Nombre de salles', null, 'Nombre', 10]).getCell(7);
			noisy.value = 46022.99999999;
			noisy.numFmt = 'dd/mm/yyyy';
		});
		const preview = await previewPlanImport(db, bytes);
		expect(preview.problems).toEqual([]);
		expect(
			['14-1#8', '14-1#9'].map((key) => newTarget(preview.changes.find((c) => c.key === key)))
		).toEqual(['10 au 31\u00a0décembre\u00a02028', '10 au 1er\u00a0janvier\u00a02026']);
	});

	/** The « Cible » read for indicators 14-1#8 and 14-1#9 of a workbook without problems. */
	async function targetsOf8And9(bytes: Uint8Array) {
		const preview = await previewPlanImport(db, bytes);
		expect(preview.problems).toEqual([]);
		return ['14-1#8', '14-1#9'].map((key) => newTarget(preview.changes.find((c) => c.key === key)));
	}

	it('reads « 80 % » in a percentage indicator’s « Cible » as 80, typed in a number cell or as text', async () => {
		const bytes = await edited((w) => {
			const sheet = w.getWorksheet('Indicateurs')!;
			// Typed « 80 % » in a number cell, the spreadsheet stores 0.8 shown through a « 0% » format.
			const stored = sheet.addRow([
				'14-1',
				8,
				'Part des communes couvertes',
				'%',
				'Pourcentage',
				0.8
			]);
			stored.getCell(6).numFmt = '0%';
			sheet.addRow(['14-1', 9, 'Part des salles équipées', '%', 'Pourcentage', '80 %']);
		});
		expect(await targetsOf8And9(bytes)).toEqual(['80\u202f%', '80\u202f%']);
	});

	it('reads a stored percent with decimals as the number shown, without float noise', async () => {
		const bytes = await edited((w) => {
			const sheet = w.getWorksheet('Indicateurs')!;
			// 0.12345 shown « 12 % » by a « 0% » format: 12.345, not a text that reads two ways.
			for (const [position, value] of [
				[8, 0.12345],
				[9, 0.07]
			] as const)
				sheet
					.addRow(['14-1', position, `Part ${position}`, '%', 'Pourcentage', value])
					.getCell(6).numFmt = '0%';
		});
		expect(await targetsOf8And9(bytes)).toEqual(['12,345\u202f%', '7\u202f%']); // as shown, French decimal comma
	});

	it('counts a text’s characters as the fiche form does: an emoji is one', async () => {
		// « Titre court »: 120 characters at most. 100 emoji are 200 UTF-16 units, which the import
		// counted while the form (textField) takes them.
		const shortTitle = async (value: string) =>
			(
				await problems(
					await edited((w) => {
						w.getWorksheet('Fiches')!.getRow(2).getCell(4).value = value;
					})
				)
			).filter((p) => p.includes('« Titre court »'));
		expect(await shortTitle('🙂'.repeat(120))).toEqual([]);
		expect(await shortTitle('🙂'.repeat(121))).toEqual([
			expect.stringMatching(/: le titre court : 120 caractères au plus \(121 saisis, 1 de trop\)$/)
		]);
	});

	// Merge s49: the import asked a label or a name to be filled only, where the admin forms ask
	// more (a 1-character axis label came in by workbook): each text is read by its form's field.
	it('reads each text by its form’s field: the same values taken, the form’s message', async () => {
		const axisRow = 2;
		const bytes = (label: string, title: string) =>
			edited((w) => {
				w.getWorksheet('Axes')!.getRow(axisRow).getCell(3).value = label;
				const fiches = w.getWorksheet('Fiches')!;
				fiches.getRow(rowOf(fiches, '9-1')).getCell(3).value = title;
			});
		expect(await problems(await bytes('X', 'T'.repeat(301)))).toEqual([
			`Feuille « Axes », ligne ${axisRow}, colonne « Intitulé » : l’intitulé compte au moins 3 caractères`,
			`Feuille « Fiches », ligne ${rowOf((await open(exported)).getWorksheet('Fiches')!, '9-1')}, colonne « Titre » : le titre : 300 caractères au plus (301 saisis, 1 de trop)`
		]);
		// What the forms take, the workbook takes, and reads back.
		const reading = await readPlanWorkbook(await bytes('Voie', 'Une fiche 🙂'));
		if (!reading.ok) throw new Error(reading.problems.map(describeProblem).join('\n'));
		expect(reading.model.axes[axisRow - 2]!.label).toBe('Voie');
		expect(reading.model.fiches.find((f) => f.code === '9-1')!.title).toBe('Une fiche 🙂');
	});

	it('has each text column’s limit be its form field’s', () => {
		for (const column of Object.values(SHEETS).flatMap((spec) => [...spec.columns]))
			if (column.field) {
				const max = column.max ?? (column.kind === 'long' ? 10_000 : 300);
				expect(column.field!.safeParse('a'.repeat(max)).success, column.header).toBe(true);
				expect(column.field!.safeParse('a'.repeat(max + 1)).success, column.header).toBe(false);
			}
	});

	it('says a refused « Cible » or « Valeur de départ » alone, not also that its date asks for it', async () => {
		// « abc » read as an empty cell added « une date de cible demande une cible ».
		let rows: number[] = [];
		const found = await problems(
			await edited((w) => {
				const sheet = w.getWorksheet('Indicateurs')!;
				rows = [
					['14-1', 8, 'Nombre de bornes', null, 'Nombre', 'abc', '31/12/2030'],
					['14-1', 9, 'Nombre de salles', null, 'Nombre', 1e300, '31/12/2030'],
					['14-1', 10, 'Nombre de sites', null, 'Nombre', null, null, 'xyz', '01/01/2020']
				].map((cells) => sheet.addRow(cells).number);
			})
		);
		expect(found.filter((p) => rows.some((row) => p.includes(`ligne ${row},`)))).toEqual([
			expect.stringMatching(/colonne « Cible » : « abc » refusé : la valeur doit être un nombre/),
			expect.stringMatching(
				/colonne « Cible » : « 1\u00a0×\u00a010³⁰⁰ » refusé : la valeur compte au plus 12 chiffres avant la virgule$/
			),
			expect.stringMatching(/colonne « Valeur de départ » : « xyz » refusé : la valeur doit/)
		]);
	});

	// Walkthrough s45: « « 1e-7 » refusé : la valeur doit être un nombre ».
	it('says a number cell under a millionth has more than 6 decimals, written in French', async () => {
		let rows: number[] = [];
		const found = await problems(
			await edited((w) => {
				const sheet = w.getWorksheet('Indicateurs')!;
				rows = [
					['14-1', 8, 'Nombre de bornes', null, 'Nombre', 0.0000001, '31/12/2030'],
					['14-1', 9, 'Nombre de salles', null, 'Nombre', -2e-300, '31/12/2030']
				].map((cells) => sheet.addRow(cells).number);
			})
		);
		expect(found.filter((p) => rows.some((row) => p.includes(`ligne ${row},`)))).toEqual([
			expect.stringMatching(
				/colonne « Cible » : « 0,0000001 » refusé : la valeur compte au plus 6 décimales$/
			),
			expect.stringMatching(
				/colonne « Cible » : « -2\u00a0×\u00a010⁻³⁰⁰ » refusé : la valeur compte au plus 6 décimales$/
			)
		]);
	});

	// Probe s46: « « Infinity » refusé : la valeur doit être un nombre » for a cell of 1e400.
	it('says a number cell beyond a double (1e400) has too many digits, in French', async () => {
		let rows: number[] = [];
		const found = await problems(
			await edited((w) => {
				const sheet = w.getWorksheet('Indicateurs')!;
				rows = [
					['14-1', 8, 'Nombre de bornes', null, 'Nombre', 1e300],
					['14-1', 9, 'Nombre de salles', null, 'Nombre', 10, null, 'Infinity'],
					['14-1', 10, 'Nombre de sites', null, 'Nombre', 10]
				].map((cells) => sheet.addRow(cells).number);
				// What ExcelJS reads from a cell of « 1e400 » or « -1e400 ».
				sheet.getRow(rows[0]!).getCell(6).value = Number.POSITIVE_INFINITY;
				sheet.getRow(rows[2]!).getCell(8).value = Number.NEGATIVE_INFINITY;
			})
		);
		expect(found.filter((p) => rows.some((row) => p.includes(`ligne ${row},`)))).toEqual([
			expect.stringMatching(
				/colonne « Cible » : « plus de 10³⁰⁸ » refusé : la valeur compte au plus 12 chiffres avant la virgule$/
			),
			// Typed as text, « Infinity » is no number.
			expect.stringMatching(
				/colonne « Valeur de départ » : « Infinity » refusé : la valeur doit être un nombre/
			),
			expect.stringMatching(
				/colonne « Valeur de départ » : « moins de -10³⁰⁸ » refusé : la valeur compte au plus 12 chiffres avant la virgule$/
			)
		]);
	});

	it('refuses « 80 % » in the « Cible » of an indicator that is not a percentage', async () => {
		const found = await problems(
			await edited((w) => {
				const sheet = w.getWorksheet('Indicateurs')!;
				const stored = sheet.addRow(['14-1', 8, 'Nombre de communes', null, 'Nombre', 0.8]);
				stored.getCell(6).numFmt = '0%';
				sheet.addRow(['14-1', 9, 'Nombre de salles', null, 'Nombre', '80 %']);
			})
		);
		expect(found.filter((p) => p.includes('80'))).toEqual([
			expect.stringContaining('« 80 % » refusé : la valeur doit être un nombre'),
			expect.stringContaining('« 80 % » refusé : la valeur doit être un nombre')
		]);
	});

	it('a small file that would unzip to far more is refused before it is inflated', async () => {
		expect(unzippedSize(exported)).toBeGreaterThan(exported.length);
		expect(unzippedSize(exported)).toBeLessThan(MAX_UNZIPPED_BYTES);
		// The same workbook whose directory announces a 4 Go sheet.
		const bomb = exported.slice();
		const view = new DataView(bomb.buffer);
		for (let i = bomb.length - 22; i >= 0; i--)
			if (view.getUint32(i, true) === 0x06054b50) {
				view.setUint32(view.getUint32(i + 16, true) + 24, 0xfffffff0, true);
				break;
			}
		expect(await problems(bomb)).toEqual([
			'le classeur, une fois décompressé, pèserait 4097 Mo : un classeur du plan en pèse au plus 4 Mo'
		]);
	});

	it('a small file whose sheets hold hundreds of thousands of rows is refused before ExcelJS reads it', async () => {
		const links = (count: number) =>
			zip([
				{
					name: 'xl/worksheets/sheet8.xml',
					content: Buffer.from(
						`<worksheet><sheetData>${'<row><c t="inlineStr"><is><t>1-1</t></is></c><c t="inlineStr"><is><t>2-1</t></is></c></row>'.repeat(count)}</sheetData></worksheet>`
					)
				}
			]);
		// 340,000 rows in « Liens »: about 150 Ko on disk, 30 Mo unzipped, once more than the
		// server's memory once read by ExcelJS.
		const huge = links(340_000);
		expect(huge.length).toBeLessThan(400 * 1024);
		expect(await problems(huge)).toEqual([
			'le classeur, une fois décompressé, pèserait 30 Mo : un classeur du plan en pèse au plus 4 Mo'
		]);
		const rows = zip([
			{
				name: 'xl/worksheets/sheet8.xml',
				content: Buffer.from(
					`<worksheet><sheetData>${'<row><c><v>1</v></c></row>'.repeat(45_000)}</sheetData></worksheet>`
				)
			}
		]);
		expect(await problems(rows)).toEqual([
			'le classeur compte plus de 40\u202f000 lignes en tout : celui du plan en compte quelques centaines'
		]);
		// Declared as 2000 bytes, 20 Mo once inflated.
		const lying = zip([
			{
				name: 'xl/worksheets/sheet8.xml',
				content: Buffer.alloc(20 * 1024 * 1024, 32),
				declared: 2000
			}
		]);
		expect(await problems(lying)).toEqual([
			'le classeur, une fois décompressé, pèserait plus de 4 Mo : un classeur du plan en pèse au plus 4 Mo'
		]);
	});

	// Probe s46: 200 rows whose « Cible » and « Valeur de départ » held one shared string of
	// millions of « 9 »: each problem quoted it whole, a preview of hundreds of megabytes (a 500
	// past 3 million).
	it('quotes a cell’s beginning only, and refuses a cell longer than any text as it reads it', async () => {
		const nines = '9'.repeat(1_000_000);
		const bytes = await edited((w) => {
			const sheet = w.getWorksheet('Indicateurs')!;
			for (let i = 0; i < 200; i++) {
				const row = sheet.getRow(i + 2);
				if (row.getCell(1).value === null)
					row.values = ['14-1', 20 + i, `Indicateur ${i}`, null, 'Nombre'];
				row.getCell(6).value = nines;
				row.getCell(8).value = nines;
			}
			// Under the longest text's limit, in a number column, and in a text column read as a name.
			sheet.getRow(2).getCell(6).value = '9'.repeat(9_000);
			sheet.getRow(2).getCell(5).value = `Nature ${'x'.repeat(290)}`;
			w.getWorksheet('Liens')!.getCell('A1').value = `Fiche ${'🙂'.repeat(5_000)}`;
		});
		expect(bytes.length).toBeLessThan(400 * 1024);
		const preview = await previewPlanImport(db, bytes);
		// The first 200 problems (the header's stops the reading there), then how many more, none
		// quoting more than 40 characters of a cell.
		expect(preview.problems).toHaveLength(201);
		expect(preview.problems.at(-1)).toMatch(/^Et \d+\u00a0autres problèmes\.$/);
		for (const problem of preview.problems) expect(problem.length).toBeLessThan(400);
		expect(JSON.stringify(preview).length).toBeLessThan(100_000);
		expect(preview.problems).toContain(
			'Feuille « Liens », ligne 1, colonne « Fiche » : l’en-tête de la colonne A doit être « Fiche » et non « Fiche 🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂… » : rétablissez les en-têtes du modèle.'
		);
		expect(
			await problems(
				await edited((w) => {
					const sheet = w.getWorksheet('Indicateurs')!;
					sheet.getRow(2).getCell(6).value = '9'.repeat(9_000);
					sheet.getRow(2).getCell(5).value = `Nature ${'x'.repeat(290)}`;
				})
			)
		).toEqual([
			`Feuille « Indicateurs », ligne 2, colonne « Nature » : nature « Nature ${'x'.repeat(33)}… » inconnue (natures possibles : Nombre, Pourcentage, Montant en euros, Oui ou non)`,
			`Feuille « Indicateurs », ligne 2, colonne « Cible » : « ${'9'.repeat(40)}… » refusé : la valeur compte au plus 12 chiffres avant la virgule`
		]);
		// Longer than any text: refused as it is read, before the rows are checked.
		expect(
			await problems(
				await edited((w) => {
					const sheet = w.getWorksheet('Indicateurs')!;
					sheet.getRow(3).getCell(6).value = nines;
					sheet.getRow(4).getCell(3).value = nines;
				})
			)
		).toEqual([
			`Feuille « Indicateurs », ligne 3, colonne « Cible » : « ${'9'.repeat(40)}… » refusé : plus de 10\u202f000 caractères, quand un nombre en compte quelques-uns`,
			'Feuille « Indicateurs », ligne 4, colonne « Libellé » : plus de 10\u202f000 caractères : 300 au plus (comme dans le formulaire du portail)'
		]);
	});

	it('an empty or oversized file is refused before it is read', async () => {
		expect((await previewPlanImport(db, new Uint8Array())).problems).toEqual([
			'Le fichier est vide (0 octet) : choisissez le classeur du plan (.xlsx).'
		]);
		expect((await previewPlanImport(db, new Uint8Array(6 * 1024 * 1024))).problems[0]).toMatch(
			/^Le fichier pèse 6144 Ko : un classeur du plan en pèse au plus 400 Ko/
		);
	});
});

// Left noticed s46: a rich-text cell's runs were all joined before its length was checked.
describe('a rich-text cell', () => {
	it('is joined up to the run past any cell’s length, not to its last run', () => {
		let read = 0;
		const runs = Array.from({ length: 50_000 }, () => ({
			get text() {
				read++;
				return 'abcd';
			}
		}));
		const text = richTextCell(runs);
		// Long enough to be refused without counting its characters (over twice 10 000 units).
		expect(text.length).toBeGreaterThan(20_000);
		expect(read).toBe(text.length / 4);
		expect(read).toBeLessThan(runs.length);
		// Within the limit, every run.
		expect(richTextCell([{ text: 'Un ' }, { text: 'deux' }])).toBe('Un deux');
	});

	it('reads a run without text (`<r><rPr/></r>`, as ExcelJS leaves it) as nothing, not « undefined »', () => {
		const runs = [{ text: 'Un ' }, {}, { text: 'deux' }];
		expect(richTextCell(runs)).toBe('Un deux');
	});
});

describe('a text on one line that no form reads', () => {
	// Review s50: the plan's title, a code, a type… refused only « \n »: a line or paragraph
	// separator pasted from another document (U+2028, U+2029) passed, which the forms refuse.
	it('refuses every line break the forms refuse, with the same message', async () => {
		for (const separator of ['\r', '\u2028', '\u2029']) {
			const found = await problems(
				await edited((w) => {
					w.getWorksheet('Plan')!.getRow(2).getCell(2).value = `Département${separator}du Lot`;
				})
			);
			expect(found).toEqual([
				'Feuille « Plan », ligne 2, colonne « Territoire » : cette cellule tient sur une ligne : retirez ses retours à la ligne'
			]);
		}
	});
});

describe('a required cell left empty', () => {
	// Review s50: each was told « cette cellule est obligatoire », which left the reader to work out
	// from the column what was missing: said now in the words of the admin form's field.
	it('names the value missing, located by sheet, row and column', async () => {
		const found = await problems(
			await edited((w) => {
				const plan = w.getWorksheet('Plan')!.getRow(2);
				plan.getCell(2).value = null;
				plan.getCell(5).value = null;
				const fiches = w.getWorksheet('Fiches')!;
				const fiche = fiches.getRow(rowOf(fiches, '9-1'));
				fiche.getCell(3).value = null;
				fiche.getCell(5).value = null;
				const people = w.getWorksheet('Porteurs et partenaires')!;
				people.getRow(rowOf(people, '9-1')).getCell(3).value = null;
				w.getWorksheet('Indicateurs')!.getRow(2).getCell(5).value = '  ';
			})
		);
		const fiches = await open(exported).then((w) => rowOf(w.getWorksheet('Fiches')!, '9-1'));
		const people = await open(exported).then((w) =>
			rowOf(w.getWorksheet('Porteurs et partenaires')!, '9-1')
		);
		expect(found).toEqual([
			'Feuille « Plan », ligne 2, colonne « Territoire » : le territoire du plan est obligatoire',
			'Feuille « Plan », ligne 2, colonne « Adopté le » : la date d’adoption du plan est obligatoire',
			`Feuille « Fiches », ligne ${fiches}, colonne « Titre » : le titre de la fiche est obligatoire`,
			`Feuille « Fiches », ligne ${fiches}, colonne « Priorité » : la priorité de la fiche est obligatoire`,
			`Feuille « Porteurs et partenaires », ligne ${people}, colonne « Organisation » : l’organisation (son nom ou son identifiant) est obligatoire`,
			'Feuille « Indicateurs », ligne 2, colonne « Nature » : la nature de l’indicateur est obligatoire'
		]);
	});
});

describe('every problem told in one pass', () => {
	const fiches = (w: ExcelJS.Workbook) => w.getWorksheet('Fiches')!;
	const noResult = { formula: 'A1*2' } as ExcelJS.CellFormulaValue;

	it('cells refused as they are read do not hide the rows’ and the sheets’ problems', async () => {
		const bytes = await edited((w) => {
			fiches(w).getRow(3).getCell(3).value = null;
			fiches(w).getRow(4).getCell(6).value = 'x'.repeat(10_001);
			const copied = fiches(w).getRow(2).values as ExcelJS.CellValue[];
			fiches(w).addRow(copied.slice(1));
			w.getWorksheet('Porteurs et partenaires')!.getRow(2).getCell(3).value = 'Inconnue du plan';
			const indicators = w.getWorksheet('Indicateurs')!;
			indicators.getRow(2).getCell(6).value = noResult;
			indicators.getRow(3).getCell(6).value = '01/01/2027';
			indicators.getRow(4).getCell(8).value = 12;
			indicators.getRow(4).getCell(9).value = null;
		});
		const code = String(
			fiches(await open(bytes))
				.getRow(2)
				.getCell(1).value
		);
		const last = fiches(await open(bytes)).rowCount;
		const preview = await previewPlanImport(db, bytes);
		expect(preview.problems).toEqual([
			'Feuille « Fiches », ligne 4, colonne « Contexte » : 10\u202f001 caractères : 10\u202f000 au plus (comme dans le formulaire du portail).',
			'Feuille « Indicateurs », ligne 2, colonne « Cible » : cette cellule contient une formule sans résultat enregistré : remplacez-la par sa valeur (copier, puis collage spécial « valeurs seulement »).',
			'Feuille « Fiches », ligne 3, colonne « Titre » : le titre de la fiche est obligatoire.',
			`Feuille « Fiches », ligne ${last}, colonne « Code » : la fiche « ${code} » est déjà à la ligne 2.`,
			'Feuille « Porteurs et partenaires », ligne 2, colonne « Organisation » : l’organisation « Inconnue du plan » n’existe pas dans la feuille « Organisations » (ni par son nom ni par son identifiant).',
			'Feuille « Indicateurs », ligne 3, colonne « Cible » : « 01/01/2027 » refusé : la valeur doit être un nombre (exemple : 12 ou 12,5).',
			'Feuille « Indicateurs », ligne 4, colonne « Date de la valeur de départ » : une valeur de départ demande sa date.'
		]);
	}, 60_000);

	it('a key that cannot be read is said once, without « déjà à la ligne » or « n’existe pas » after it', async () => {
		const bytes = await edited((w) => {
			const objectives = w.getWorksheet('Objectifs')!;
			for (const row of [3, 4]) {
				// The « Numéro » column formatted as dates: 2 becomes 01/01/1900.
				const cell = objectives.getRow(row).getCell(1);
				cell.style = { ...cell.style, numFmt: 'dd/mm/yyyy' };
				cell.value = new Date(Date.UTC(1900, 0, row - 1));
			}
			// A formula without result as an organisation's name, a too long fiche code.
			w.getWorksheet('Organisations')!.getRow(2).getCell(2).value = noResult;
			fiches(w).getRow(2).getCell(1).value = 'x'.repeat(10_001);
		});
		const found = await problems(bytes);
		expect(found.join('\n')).not.toMatch(/NaN|déjà à la ligne|n’existe pas|obligatoire/);
		const noResultMessage =
			'cette cellule contient une formule sans résultat enregistré : remplacez-la par sa valeur (copier, puis collage spécial « valeurs seulement »)';
		// Said as the spreadsheet shows the day, not « « 1900-01-02 » refusé : … doit être un nombre »
		// (s51), and that the spreadsheet took the number for a date, as codes are.
		const takenForDate = (day: string) =>
			`le tableur tient cette cellule pour une date (« ${day} »), non pour un nombre : s’il a pris le nombre tapé pour une date, mettez la colonne au format Nombre, puis retapez le nombre (par exemple 12 ou 12,5)`;
		expect(found).toEqual([
			`Feuille « Organisations », ligne 2, colonne « Nom » : ${noResultMessage}`,
			'Feuille « Fiches », ligne 2, colonne « Code » : 10\u202f001 caractères : 300 au plus (comme dans le formulaire du portail)',
			`Feuille « Objectifs », ligne 3, colonne « Numéro » : ${takenForDate('2\u00a0janvier\u00a01900')}`,
			`Feuille « Objectifs », ligne 4, colonne « Numéro » : ${takenForDate('3\u00a0janvier\u00a01900')}`
		]);
	}, 60_000);

	it('an organisation refused for another’s identifier is not also unknown on the rows naming it', async () => {
		let first = 0;
		let refused = 0;
		const found = await problems(
			await edited((w) => {
				const organisations = w.getWorksheet('Organisations')!;
				first = rowOf(organisations, 'ad-occ');
				refused = rowOf(organisations, 'admr');
				organisations.getRow(refused).getCell(1).value = 'ad-occ';
			})
		);
		expect(found).toEqual([
			`Feuille « Organisations », ligne ${refused}, colonne « Identifiant » : l’organisation « ad-occ » est déjà à la ligne ${first}`
		]);
	});

	it('refuses two indicators of a fiche whose labels are alike as the fiche form compares them', async () => {
		let row = 0;
		const found = await problems(
			await edited((w) => {
				const indicators = w.getWorksheet('Indicateurs')!;
				indicators.getRow(2).getCell(3).value = 'Nombre de communes';
				const copied = indicators.getRow(2).values as ExcelJS.CellValue[];
				// The same fiche, a N° of its own, the label in capitals with a mark.
				row = indicators.addRow([
					copied[1],
					99,
					'NOMBRE de communes !',
					copied[4],
					copied[5]
				]).number;
			})
		);
		expect(found).toEqual([
			`Feuille « Indicateurs », ligne ${row}, colonne « Libellé » : l’indicateur « Nombre de communes » de cette fiche (ligne 2) porte déjà ce libellé (capitales, accents, espaces et ponctuation mis à part) : donnez à celui-ci un autre libellé`
		]);
	});

	it('refuses a date in an indicator’s « Cible », naming the cell and the day as it is shown', async () => {
		const found = await problems(
			await edited((w) => {
				const cell = w.getWorksheet('Indicateurs')!.getRow(2).getCell(6);
				cell.style = { ...cell.style, numFmt: 'dd/mm/yyyy' };
				cell.value = new Date(Date.UTC(2027, 0, 1));
			})
		);
		expect(found).toEqual([
			'Feuille « Indicateurs », ligne 2, colonne « Cible » : le tableur tient cette cellule pour une date (« 1er\u00a0janvier\u00a02027 »), non pour un nombre : s’il a pris le nombre tapé pour une date, mettez la colonne au format Nombre, puis retapez le nombre (par exemple 12 ou 12,5)'
		]);
	});
});
