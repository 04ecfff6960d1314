import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { abandonFiche } from '$lib/server/authoring/testing';
import { findFicheByCode } from '$lib/server/plan/repository';
import { shownText } from '$lib/utils/html-testing';
import FichePage from './fiches/[code=fiche]/+page.svelte';
import * as fiche from './fiches/[code=fiche]/+page.server';
import { adminDatabase, routeEvent } from './route-testing';

// Review s57: « Liée à » and « Citée par » on a fiche's public page listed an abandoned fiche as
// any other; the lists of fiches elsewhere (/fiches, an organisation's page) mark it « Abandonnée ».

const portal = adminDatabase();

async function ficheText(code: string): Promise<string> {
	const data = await fiche.load(
		routeEvent(`/fiches/${code}`, '/fiches/[code=fiche]', { code }, portal.admin) as never
	);
	return shownText(render(FichePage, { props: { data } as never }).body);
}

describe('the fiches linked to a fiche, on its page', () => {
	it('marks an abandoned one « Abandonnée », both where the fiche links to it and where it is cited by it', async () => {
		// 1-1 links to 7-2, which links to 1-1.
		expect((await abandonFiche(portal.db, portal.admin, '7-2')).ok).toBe(true);
		const detail = (await findFicheByCode(portal.db, '1-1'))!;
		for (const list of [detail.linked, detail.citedBy]) {
			expect(list.find((l) => l.code === '7-2')).toMatchObject({ status: 'abandonnee' });
			expect(list.find((l) => l.code === '2-1')?.status).not.toBe('abandonnee');
		}
		const text = await ficheText('1-1');
		const linked = text.slice(text.indexOf('Liée à'), text.indexOf('Citée par'));
		const citedBy = text.slice(text.indexOf('Citée par'));
		for (const list of [linked, citedBy]) {
			expect(list).toMatch(/7-2 — [^—]+ Abandonnée/);
			expect(list).not.toMatch(/2-1 — [^—]+ Abandonnée/);
		}
	});
});
