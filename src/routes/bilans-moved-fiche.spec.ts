import { describe, expect, it } from 'vitest';
import { moveFiche } from '$lib/server/authoring/testing';
import { load } from './bilans/[year=annee]/fiches/[code=fiche]/+page.server';
import { adminDatabase, routeAnswer, routeEvent } from './route-testing';

// Review s57 (open-data re-user): a fiche moved to another objective after the 2018 bilan has a
// new code in the live pages and files; /bilans/2018/fiches/<new code> answered 404, though the
// live /fiches/<former code> leads to the new one. It now leads to the bilan's own code.

const portal = adminDatabase();
const anonymous = { user: null, session: null } as never;

/** What /bilans/2018/fiches/<code> (with `search`) answers a visitor. */
const bilanFiche = (code: string, search = '') =>
	routeAnswer(() =>
		load(
			routeEvent(
				`/bilans/2018/fiches/${code}${search}`,
				'/bilans/[year=annee]/fiches/[code=fiche]',
				{ year: '2018', code },
				anonymous
			)
		)
	);

async function moved(code: string, objective: number): Promise<string> {
	const result = await moveFiche(portal.db, portal.admin, code, objective, new Date());
	if (!result.ok) throw new Error(result.message);
	return result.value.code;
}

describe('a bilan’s fiche asked for by a code it took after the bilan', () => {
	it('redirects (307, query kept) to the fiche under the bilan’s code, moved once or twice', async () => {
		const once = await moved('9-1', 1);
		expect(await bilanFiche(once)).toMatchObject({
			status: 307,
			location: '/bilans/2018/fiches/9-1'
		});
		const twice = await moved(once, 2);
		for (const code of [once, twice])
			expect(await bilanFiche(code, '?version=1')).toMatchObject({
				status: 307,
				location: '/bilans/2018/fiches/9-1?version=1'
			});
		expect(await bilanFiche('9-1')).toMatchObject({ status: 200 });
		// A code no fiche of the bilan ever had is still a 404 that says so.
		expect(await bilanFiche('19-9')).toMatchObject({
			status: 404,
			message: 'La fiche 19-9 ne figure pas dans le bilan 2018.'
		});
	});
});
