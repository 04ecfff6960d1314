import { isRedirect } from '@sveltejs/kit';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { keepPendingImport } from '$lib/server/authoring/pending-imports';
import { findFicheState } from '$lib/server/authoring/repository';
import {
	applyPlanImport,
	exportPlanWorkbook,
	MAX_WORKBOOK_BYTES,
	previewPlanImport
} from '$lib/server/authoring/plan-import';
import { MAX_PROBLEMS } from '$lib/server/authoring/workbook';
import { shownText, withoutTags } from '$lib/utils/html-testing';
import { abandonFiche, editedWorkbook, moveFiche } from '$lib/server/authoring/testing';
import * as importPage from './admin/plan/import/+page.server';
import ImportPage from './admin/plan/import/+page.svelte';
import { adminDatabase, postAction, withSession } from './route-testing';

// The plan import's refusals, through the route's own actions: the answer every form gets
// (refusalAnswer), each message where the page shows one.

const portal = adminDatabase();

async function post(action: 'preview' | 'apply', fields: Record<string, string | File>) {
	return (await postAction(
		importPage.actions[action],
		{ path: `/admin/plan/import?/${action}`, route: '/admin/plan/import' },
		await withSession(portal.db, portal.admin),
		fields
	)) as {
		status: number;
		data: { message?: string; errors: Record<string, string>; values?: unknown; preview?: unknown };
	};
}

/** The plan's workbook with `perFiche` new indicators on each of its first five fiches. */
async function withNewIndicators(perFiche: number, row: (code: string, n: number) => unknown[]) {
	return editedWorkbook(await exportPlanWorkbook(portal.db), (workbook) => {
		const fiches = workbook.getWorksheet('Fiches')!;
		const indicators = workbook.getWorksheet('Indicateurs')!;
		const codes = [2, 3, 4, 5, 6].map((r) => String(fiches.getRow(r).getCell(1).value));
		for (const code of codes)
			for (let n = 50; n < 50 + perFiche; n++) indicators.addRow(row(code, n));
	});
}

/** The page's preview of a workbook sent as « plan-lot.xlsx »: its problems and the sentence above. */
async function previewOf(bytes: Uint8Array) {
	const answer = await post('preview', {
		fichier: new File([bytes as Uint8Array<ArrayBuffer>], 'plan-lot.xlsx')
	});
	return answer.data.preview as { problems: string[]; summary: string };
}

describe('/admin/plan/import', () => {
	// An organisation the import restores read « modifiée » above its line « État : retirée le … →
	// rétablie ».
	it('badges an organisation the import restores « rétablie », one it changes « modifiée »', () => {
		const organisation = (key: string, state: boolean) => ({
			entity: 'organisation',
			key,
			title: `Organisation « ${key.toUpperCase()} »`,
			action: 'updated',
			fiche: null,
			changes: [
				...(state
					? [{ field: 'state', label: 'État', before: 'retirée le 2 mars 2026', after: 'rétablie' }]
					: []),
				{ field: 'full_name', label: 'Nom complet', before: 'Agence', after: 'Agence du Lot' }
			]
		});
		const { body } = render(ImportPage, {
			props: {
				data: { maxKo: 400, applied: null },
				form: {
					preview: {
						summary: null,
						problems: [],
						outOfDate: 0,
						problemCount: 0,
						changes: [organisation('adt', true), organisation('ars', false)],
						fieldCount: 3,
						creates: false,
						recoded: [],
						notices: []
					}
				}
			} as never
		});
		const badges = [...body.matchAll(/<span class="badge[^"]*">([^<]*)<\/span>/g)].map((m) => m[1]);
		expect(badges).toEqual(['rétablie', 'modifiée']);
		expect(body).toContain('Organisation « ADT » (rétablie) : avant, après');
	});

	it('answers a confirmation whose fingerprint does not pass above the form, with the preview', async () => {
		// The digest's message came back under `errors.digest`, which the page shows nowhere: a 400
		// with no word (review s41 #4).
		const token = keepPendingImport(portal.admin.id, await exportPlanWorkbook(portal.db))!;
		const answer = await post('apply', { token, digest: 'abc', reason: 'Registre du comité' });
		expect(answer.status).toBe(400);
		expect(answer.data.errors).toEqual({
			form: 'Ce classeur n’est plus en attente : envoyez-le de nouveau.'
		});
		expect(answer.data.message).toBeTruthy();
		expect(answer.data.preview).toBeDefined();
	});

	it('answers every refusal as the other forms do: message, errors, values', async () => {
		const gone = await post('apply', {
			token: '00000000-0000-4000-8000-000000000000',
			digest: 'a'.repeat(64),
			reason: 'Registre du comité'
		});
		expect(gone.status).toBe(409);
		expect(gone.data.message).toBe(gone.data.errors.form);
		expect(gone.data.values).toMatchObject({ reason: 'Registre du comité' });
		const empty = await post('preview', { fichier: new File([], 'plan.xlsx') });
		expect(empty.status).toBe(400);
		expect(empty.data.errors.fichier).toMatch(/est vide/);
		expect(empty.data.message).toBe(empty.data.errors.fichier);
	});

	// Review h46: the page and previewPlanImport each checked an empty or oversized file, in their
	// own words (« est vide (0 octet) » here, « est vide » there).
	it('refuses an empty or oversized file in the words a preview would use, naming the file', async () => {
		const named = (problem: string | undefined) =>
			problem?.replace(/^Le fichier/, 'Le fichier « plan.xlsx »');
		for (const bytes of [new Uint8Array(), new Uint8Array(MAX_WORKBOOK_BYTES + 1)]) {
			const refused = await post('preview', { fichier: new File([bytes], 'plan.xlsx') });
			expect(refused.status).toBe(400);
			expect(refused.data.errors.fichier).toBe(
				named((await previewPlanImport(portal.db, bytes)).problems[0])
			);
		}
	});

	it('refuses a workbook with problems (a 400: the page’s title says « Erreur : »), the problems shown', async () => {
		// A refused workbook kept the page's title as it was, while no file at all changed it
		// (accessibility audit, RGAA 8.6).
		const broken = await post('preview', { fichier: new File(['pas un classeur'], 'casse.xlsx') });
		expect(broken.status).toBe(400);
		expect(broken.data).toMatchObject({ fileName: 'casse.xlsx' });
		const { problems } = broken.data.preview as { problems: string[] };
		expect(problems.length).toBeGreaterThan(0);
		// With a message, as every refused form (it had none); none under the file field: the
		// problems are listed on the page.
		expect(broken.data.message).toMatch(/^« casse\.xlsx » : \d+\u00a0problèmes? à corriger/);
		expect(broken.data.errors).toEqual({});
	});

	it('says once, above the problems, what to do, when a confirmation finds the workbook has problems', async () => {
		// The page showed the apply's refusal twice (two alerts with the same words) and lost
		// « … problèmes à corriger dans le tableur, puis envoyez le classeur de nouveau » (read-back
		// s45 #1): the sentence comes with every preview that has problems.
		const token = keepPendingImport(portal.admin.id, new TextEncoder().encode('pas un classeur'))!;
		const answer = await post('apply', {
			token,
			digest: 'a'.repeat(64),
			reason: 'Registre du comité'
		});
		expect(answer.status).toBe(400);
		const { body } = render(ImportPage, {
			props: { data: { maxKo: 400, applied: null }, form: answer.data } as never
		});
		const alerts = body.match(/data-error-summary[^>]*>[\s\S]*?<\/div>/g) ?? [];
		expect(alerts).toHaveLength(1);
		expect(alerts[0]).toMatch(
			/\d+\u00a0problèmes? à corriger dans le tableur, puis envoyez le classeur/
		);
	});

	it('says to download the plan again when the plan changed between preview and confirmation, naming the file, keeping the reason', async () => {
		// Walkthrough s45: « 7 problèmes à corriger dans le tableur… » while 6 said to download the
		// plan again; and the file's name and the reason were lost.
		const mine = await editedWorkbook(await exportPlanWorkbook(portal.db), (workbook) => {
			const fiches = workbook.getWorksheet('Fiches')!;
			fiches.eachRow((row) => {
				if (row.getCell(1).value === '7-2') row.getCell(3).value = 'Nouveau titre de la 7-2';
			});
		});
		const shown = await post('preview', {
			fichier: new File([mine as Uint8Array<ArrayBuffer>], 'plan-lot.xlsx')
		});
		const { token, digest } = shown as unknown as { token: string; digest: string };
		expect(token).toBeTruthy();
		// Meanwhile another admin moves fiche 5-1: the workbook holds its former place.
		await moveFiche(portal.db, portal.admin, '5-1', 1, new Date());
		const answer = await post('apply', {
			token,
			digest,
			reason: 'Relecture du comité',
			fileName: 'plan-lot.xlsx'
		});
		expect(answer.status).toBe(400);
		expect((answer.data.preview as { summary: string }).summary).toMatch(
			/^« plan-lot\.xlsx » : \d+\u00a0problèmes? : le plan a été modifié dans le portail depuis l’export de ce classeur\. Téléchargez à nouveau le plan \(\/donnees\/plan\.xlsx\), reportez-y vos modifications, puis envoyez ce nouveau classeur\.$/
		);
		expect((answer.data.preview as { problems: string[] }).problems).toContainEqual(
			expect.stringContaining(
				'la fiche 5-1 a été rattachée à un autre objectif, sous le code 1-3, après l’export de ce classeur'
			)
		);
		expect(answer.data.values).toMatchObject({ reason: 'Relecture du comité' });
		const { body } = render(ImportPage, {
			props: { data: { maxKo: 400, applied: null }, form: answer.data } as never
		});
		const alerts = body.match(/data-error-summary[^>]*>[\s\S]*?<\/div>/g) ?? [];
		expect(alerts).toHaveLength(1);
		expect(alerts[0]).toContain('Téléchargez à nouveau le plan');
		expect(alerts[0]).not.toContain('à corriger dans le tableur');
		// Staff walkthrough, December 2026: headed « Le classeur n’est pas valable », the download
		// said twice as plain text. Headed by what happened; the download a link, once.
		expect(shownText(/<h2 id="resultat">([\s\S]*?)<\/h2>/.exec(body)![1]!)).toBe(
			'Le plan a changé depuis l’export du classeur : rien n’a été modifié'
		);
		expect(
			body.match(/<a href="\/donnees\/plan\.xlsx">Téléchargez à nouveau le plan<\/a>/g)
		).toHaveLength(1);
		// The problems below it no longer say it each: once in the result, beside the page's intro.
		expect(body.slice(body.indexOf('id="resultat"')).split('/donnees/plan.xlsx')).toHaveLength(2);
		// The reason typed was in `values` but shown nowhere: the confirmation form, its one place,
		// is drawn only for a preview without problems (s51). Quoted, to copy into the next one.
		expect(shownText(body)).toContain(
			'La raison que vous aviez saisie, à recopier pour le prochain classeur : Relecture du comité'
		);
		// A first look at a workbook with problems has no reason to quote.
		const first = await post('preview', {
			fichier: new File([mine as Uint8Array<ArrayBuffer>], 'plan-lot.xlsx')
		});
		expect(first.status).toBe(400);
		const looked = render(ImportPage, {
			props: { data: { maxKo: 400, applied: null }, form: first.data } as never
		});
		expect(looked.body).toContain('Téléchargez à nouveau le plan');
		expect(looked.body).not.toContain('raison-gardee');
	});

	// Left noticed s45: only a row edited since the export led to « téléchargez à nouveau » in the
	// summary; a fiche abandoned since (or moved, or a priority decided since) said « à corriger
	// dans le tableur ».
	it('says to download the plan again for a fiche abandoned since the export, and both when other problems are to correct', async () => {
		const exported = await exportPlanWorkbook(portal.db);
		expect((await abandonFiche(portal.db, portal.admin, '3-1')).ok).toBe(true);
		const outdated = await post('preview', {
			fichier: new File([exported as Uint8Array<ArrayBuffer>], 'plan-lot.xlsx')
		});
		expect(outdated.status).toBe(400);
		expect((outdated.data.preview as { summary: string }).summary).toBe(
			'« plan-lot.xlsx » : 1\u00a0problème : le plan a été modifié dans le portail depuis l’export de ce classeur. Téléchargez à nouveau le plan (/donnees/plan.xlsx), reportez-y vos modifications, puis envoyez ce nouveau classeur.'
		);

		const mixed = await editedWorkbook(exported, (workbook) => {
			const fiches = workbook.getWorksheet('Fiches')!;
			fiches.eachRow((row) => {
				if (row.getCell(1).value === '17-1') row.getCell(5).value = 2;
			});
		});
		const both = await post('preview', {
			fichier: new File([mixed as Uint8Array<ArrayBuffer>], 'plan-lot.xlsx')
		});
		expect((both.data.preview as { summary: string }).summary).toBe(
			'« plan-lot.xlsx » : 2\u00a0problèmes : le plan a été modifié dans le portail depuis l’export de ce classeur (1\u00a0problème en vient), et 1\u00a0autre problème est à corriger. Téléchargez à nouveau le plan (/donnees/plan.xlsx), reportez-y vos modifications en corrigeant aussi l’autre problème, puis envoyez ce nouveau classeur.'
		);
	});

	it('keeps no file name that does not pass as one line of 200 characters', async () => {
		const token = keepPendingImport(portal.admin.id, new TextEncoder().encode('pas un classeur'))!;
		const answer = await post('apply', {
			token,
			digest: 'a'.repeat(64),
			reason: 'Registre du comité',
			fileName: 'x'.repeat(201)
		});
		expect((answer.data.preview as { summary: string }).summary).toMatch(
			/^\d+\u00a0problèmes? à corriger/
		);
		expect(answer.data.values).toMatchObject({ fileName: '' });
	});

	// Left noticed s46: only the reading's problems were capped at MAX_PROBLEMS; a workbook read
	// cleanly listed every problem of its comparison with the plan.
	it('lists MAX_PROBLEMS of the comparison’s problems, then how many more, and counts them all', async () => {
		// New indicators given a baseline without its date: one problem each, once compared.
		const many = await withNewIndicators(42, (code, n) => [
			...[code, n, `Indicateur ${n}`, null, 'Nombre'],
			...[null, null, 3, null]
		]);
		const { problems, summary } = await previewOf(many);
		expect(problems).toHaveLength(MAX_PROBLEMS + 1);
		expect(problems.at(-2)).toMatch(/: une valeur de départ demande sa date\.$/);
		expect(problems.at(-1)).toBe('Et 10\u00a0autres problèmes.');
		expect(summary).toBe(
			'« plan-lot.xlsx » : 210\u00a0problèmes à corriger dans le tableur, puis envoyez le classeur de nouveau.'
		);
	});

	// Left by read-back s47: a workbook with more reading problems than listed counted its line
	// « Et N autres problèmes » as one problem, the page's total MAX_PROBLEMS + 1.
	it('counts every reading problem of a partly unreadable workbook, beyond those listed', async () => {
		// New indicators whose « Cible » is not a number: refused as the workbook is read.
		const many = await withNewIndicators(46, (code, n) => [
			...[code, n, `Indicateur ${n}`, null, 'Nombre'],
			'beaucoup'
		]);
		const { problems, summary } = await previewOf(many);
		expect(problems).toHaveLength(MAX_PROBLEMS + 1);
		expect(problems.at(-2)).toMatch(/colonne « Cible »/);
		expect(problems.at(-1)).toBe('Et 30\u00a0autres problèmes.');
		expect(summary).toBe(
			'« plan-lot.xlsx » : 230\u00a0problèmes à corriger dans le tableur, puis envoyez le classeur de nouveau.'
		);
		// The import command's refusal counts them so too.
		const applied = await applyPlanImport(portal.db, many, {
			reason: 'Essai',
			actor: null,
			abandonConfirmed: true
		});
		expect(!applied.ok && applied.message).toMatch(
			/^Le classeur n’a pas été importé : 230\u00a0problèmes\. /
		);
	});

	// Walkthrough s47: a fiche left out of the workbook was abandoned by « Appliquer », listed only
	// among the other changes with its badge, nothing to confirm.
	it('names the fiches the import abandons, and applies it only with the box ticked, the reason kept', async () => {
		const without = await editedWorkbook(await exportPlanWorkbook(portal.db), (workbook) => {
			for (const sheet of workbook.worksheets)
				for (let r = sheet.rowCount; r >= 2; r--)
					if ([sheet.getRow(r).getCell(1).value, sheet.getRow(r).getCell(2).value].includes('13-1'))
						sheet.spliceRows(r, 1);
		});
		const shown = (await post('preview', {
			fichier: new File([without as Uint8Array<ArrayBuffer>], 'plan-lot.xlsx')
		})) as unknown as { token: string; digest: string };
		const { body } = render(ImportPage, {
			props: { data: { maxKo: 400, applied: null }, form: shown } as never
		});
		const notice = withoutTags(body.match(/id="abandons"[\s\S]*?<\/div>/)?.[0] ?? '');
		expect(notice).toContain('1\u00a0fiche absente du classeur serait abandonnée');
		expect(notice).toContain('Fiche 13-1 — Développement d’un réseau de tiers-lieux numériques');
		expect(body).toContain('abandonner la fiche 13-1');
		const confirm = { token: shown.token, digest: shown.digest, reason: 'Plan révisé' };
		const unticked = await post('apply', confirm);
		expect(unticked.status).toBe(400);
		expect(unticked.data.errors.confirm).toBe(
			'Cochez la case pour confirmer l’abandon de la fiche 13-1, absente du classeur : une fiche abandonnée ne peut pas être reprise.'
		);
		expect(unticked.data.values).toMatchObject({ reason: 'Plan révisé' });
		expect((await findFicheState(portal.db, '13-1'))!.status).not.toBe('abandonnee');
		const applied = await Promise.resolve(post('apply', { ...confirm, confirm: 'oui' })).catch(
			(thrown: unknown) => thrown
		);
		expect(isRedirect(applied)).toBe(true);
		expect((await findFicheState(portal.db, '13-1'))!.status).toBe('abandonnee');
	});

	// Walkthrough s47: « Abandonner sans rien modifier », a few lines below « une fiche absente du
	// classeur est abandonnée », read as abandoning something.
	it('cancels the import in words that do not say « abandonner »', async () => {
		const shown = await post('preview', {
			fichier: new File(
				[(await exportPlanWorkbook(portal.db)) as Uint8Array<ArrayBuffer>],
				'plan.xlsx'
			)
		});
		const answer = { ...shown.data, ...shown, token: 'jeton', digest: 'a'.repeat(64) };
		const preview = answer.preview as { changes: unknown[] };
		preview.changes = [
			{
				entity: 'fiche',
				key: '2-1',
				title: 'Fiche 2-1 — X',
				action: 'updated',
				fiche: '2-1',
				changes: []
			}
		];
		const { body } = render(ImportPage, {
			props: { data: { maxKo: 400, applied: null }, form: answer } as never
		});
		expect(body).toMatch(
			/<a class="button secondary" href="\/admin\/plan\/import">Annuler l’import<\/a>/
		);
		expect(body).not.toContain('Abandonner sans rien modifier');
	});
});
